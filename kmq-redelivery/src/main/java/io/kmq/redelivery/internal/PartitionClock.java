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
 *       broker after {@code d}) proves the partition is caught up. A tick is scheduled for wall time {@code d + 1},
 *       the moment it can first prove {@code d}, and sent then only if nothing read meanwhile has proven {@code d}.
 *       At most one tick is outstanding per partition (sent, or scheduled, and not read back yet); it is re-sent if
 *       not read back within {@code tickRetry}, and ticks are at least {@code minTickGap} apart.</li>
 * </ol>
 * The wall clock decides only when to send ticks, never whether a message is due, so clock skew between tracker and
 * broker can delay a redelivery but not cause a spurious one.
 *
 * <p>Thread safety: the stream thread calls everything; a tick scheduler thread may call {@link #fireTick(long)} and
 * read {@link #observedTime()}, so the tick state is guarded by this object and the observed time is volatile.
 */
public final class PartitionClock {

    /** The observed time before any record has been read. */
    public static final long UNKNOWN = Long.MIN_VALUE;
    /** {@link #tickTime(long)} when no tick is to be scheduled. */
    public static final long NO_TICK = Long.MIN_VALUE;

    private final Clock wallClock;
    private final long tickRetryMs;
    private final long minTickGapMs;
    private volatile long observedTime = UNKNOWN;
    private boolean tickOutstanding;
    private long tickAt = NO_TICK;

    /**
     * @param wallClock  the tracker's wall clock
     * @param tickRetry  how long to wait for an outstanding tick before sending another, positive
     * @param minTickGap the least time between two ticks, zero or positive
     */
    public PartitionClock(Clock wallClock, Duration tickRetry, Duration minTickGap) {
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        if (tickRetry.isNegative() || tickRetry.isZero()) {
            throw new IllegalArgumentException("tickRetry : " + tickRetry + " (expected: > 0)");
        }
        if (minTickGap.isNegative()) {
            throw new IllegalArgumentException("minTickGap : " + minTickGap + " (expected: >= 0)");
        }
        this.tickRetryMs = tickRetry.toMillis();
        this.minTickGapMs = minTickGap.toMillis();
    }

    /** Records that a marker with {@code timestamp} was read from the partition (stream thread only). */
    public void observe(long timestamp) {
        if (timestamp > observedTime) {
            observedTime = timestamp;
        }
    }

    /** Records that a tick was read back: the outstanding tick, if any, arrived. */
    public synchronized void tickRead() {
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
     * When to schedule a tick, given the earliest deadline not yet provably past: at {@code deadline + 1} or now,
     * whichever is later, unless a tick is outstanding (an earlier time replaces a tick scheduled for later; a tick
     * sent and not read back is re-sent after the retry interval), and never sooner than the least gap after the
     * last tick.
     *
     * @return the wall time for {@link #tickScheduled(long)}, or {@link #NO_TICK}
     */
    public synchronized long tickTime(long earliestUnprovenDeadline) {
        if (provablyPast(earliestUnprovenDeadline)) {
            return NO_TICK;
        }
        long now = wallClock.millis();
        long wanted = Math.max(DeadlineIndex.plus(earliestUnprovenDeadline, 1), now);
        if (tickOutstanding && tickAt > now) {
            return wanted < tickAt ? wanted : NO_TICK;
        }
        if (tickOutstanding && now - tickAt < tickRetryMs) {
            return NO_TICK;
        }
        return tickAt == NO_TICK ? wanted : Math.max(wanted, DeadlineIndex.plus(tickAt, minTickGapMs));
    }

    /** Records that a tick was scheduled for wall time {@code at}. */
    public synchronized void tickScheduled(long at) {
        tickOutstanding = true;
        tickAt = at;
    }

    /** Withdraws a tick scheduled for later (nothing is in flight any more); returns whether there was one. */
    public synchronized boolean cancelPendingTick() {
        if (tickOutstanding && tickAt > wallClock.millis()) {
            tickOutstanding = false;
            return true;
        }
        return false;
    }

    /**
     * Called when a tick scheduled to prove {@code deadline} is due: whether to send it. Not if something read since
     * has proven the deadline (then no tick is outstanding any more).
     */
    public synchronized boolean fireTick(long deadline) {
        if (provablyPast(deadline)) {
            tickOutstanding = false;
            return false;
        }
        tickAt = wallClock.millis();
        return true;
    }
}
