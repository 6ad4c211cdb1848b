package io.kmq.redelivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The clock rule of one markers partition, the reason the tracker never redelivers a message whose END it has not
 * read yet (original kmq issues #158 and #12).
 *
 * <ol>
 *   <li>The partition's <em>observed time</em> is the largest timestamp read from it so far (in memory only: it
 *       starts unknown after every restart or rebalance).</li>
 *   <li>An entry due at {@code d} may be acted on only when {@code observedTime > d}: the markers topic uses
 *       LogAppendTime, so a record stamped after {@code d} sits after every marker appended up to {@code d}, and an
 *       END written before the deadline has already been read.</li>
 *   <li>When an entry is due by the wall clock ({@code d < now}) but not provably ({@code observedTime <= d}), the
 *       partition may simply be idle: the tracker appends a TICK marker to it; reading the tick back (stamped by the
 *       broker after {@code d}) proves the partition is caught up. At most one tick is outstanding per partition; it
 *       is re-sent if not read back within {@code tickRetry}.</li>
 * </ol>
 * The wall clock decides only when to send ticks, never whether a message is due, so clock skew between tracker and
 * broker can delay a redelivery but not cause a spurious one.
 */
public final class PartitionClock {

    /** The observed time before any record has been read. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final Clock wallClock;
    private final long tickRetryMs;
    private long observedTime = UNKNOWN;
    private boolean tickOutstanding;
    private long tickSentAt;

    /**
     * @param wallClock the tracker's wall clock
     * @param tickRetry how long to wait for an outstanding tick before sending another, positive
     */
    public PartitionClock(Clock wallClock, Duration tickRetry) {
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        if (tickRetry.isNegative() || tickRetry.isZero()) {
            throw new IllegalArgumentException("tickRetry : " + tickRetry + " (expected: > 0)");
        }
        this.tickRetryMs = tickRetry.toMillis();
    }

    /** Records that a marker with {@code timestamp} was read from the partition. */
    public void observe(long timestamp) {
        observedTime = Math.max(observedTime, timestamp);
    }

    /** Records that a tick was read back: the outstanding tick, if any, arrived. */
    public void tickRead() {
        tickOutstanding = false;
    }

    /** The largest timestamp read from the partition, or {@link #UNKNOWN}. */
    public long observedTime() {
        return observedTime;
    }

    /** Whether an entry due at {@code deadline} may be acted on: the partition has been read past it. */
    public boolean provablyPast(long deadline) {
        return observedTime > deadline;
    }

    /**
     * Whether to send a tick now, given the earliest deadline that is not yet provably past: it must be due by the
     * wall clock, and no tick may be outstanding (unless the last one is older than the retry interval).
     */
    public boolean shouldTick(long earliestUnprovenDeadline) {
        long now = wallClock.millis();
        if (earliestUnprovenDeadline >= now || provablyPast(earliestUnprovenDeadline)) {
            return false;
        }
        return !tickOutstanding || now - tickSentAt >= tickRetryMs;
    }

    /** Records that a tick was sent now. */
    public void tickSent() {
        tickOutstanding = true;
        tickSentAt = wallClock.millis();
    }
}
