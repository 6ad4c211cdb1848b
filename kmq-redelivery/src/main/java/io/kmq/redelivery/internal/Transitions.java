package io.kmq.redelivery.internal;

import io.kmq.Marker;

/**
 * How one marker changes the state of its message: the pure core of the tracker, free of Kafka Streams. Times are
 * the markers' own timestamps (the broker's LogAppendTime), never the tracker's clock.
 *
 * <ol>
 *   <li>START: the message is in flight, due at {@code timestamp + timeout}; a repeated START refreshes the deadline
 *       and keeps the first start time. A START never undoes a REJECT.</li>
 *   <li>END: the message is acknowledged; forget it.</li>
 *   <li>RELEASE: redeliver at {@code timestamp + delay} (counts as an attempt).</li>
 *   <li>EXTEND: a message timing out is now due at {@code timestamp + extension}.</li>
 *   <li>REJECT: dead-letter as soon as possible ({@code deadline = timestamp}) with the reason.</li>
 *   <li>TICK: no change; it only advances the partition's observed time.</li>
 * </ol>
 * RELEASE, EXTEND and REJECT about a message not in flight (already ended or redelivered) change nothing. START_RANGE
 * and END_RANGE are defined as one START (END) per covered offset; {@link InflightStore} applies them per range.
 */
public final class Transitions {

    private Transitions() {
    }

    /** The outcome of applying a marker: keep the state as it is, store a new entry, or remove the entry. */
    public sealed interface Outcome {
    }

    /** The state does not change. */
    public record Keep() implements Outcome {
    }

    /** Store this entry (it may replace an existing one). */
    public record Put(InflightEntry entry) implements Outcome {
    }

    /** Remove the entry. */
    public record Remove() implements Outcome {
    }

    private static final Keep KEEP = new Keep();
    private static final Remove REMOVE = new Remove();

    /**
     * Applies {@code marker}, read with {@code timestamp}, to the message's current entry.
     *
     * @param current the entry in the store, or null if the message is not in flight
     */
    public static Outcome apply(InflightEntry current, Marker marker, long timestamp) {
        if (marker instanceof Marker.Start start) {
            long deadline = DeadlineIndex.plus(timestamp, start.timeout().toMillis());
            if (current == null) {
                return new Put(InflightEntry.started(timestamp, deadline));
            }
            return current.action() == PendingAction.REJECT ? KEEP
                    : new Put(current.due(deadline, PendingAction.TIMEOUT));
        }
        if (marker instanceof Marker.End) {
            return current == null ? KEEP : REMOVE;
        }
        if (current == null || current.action() == PendingAction.REJECT) {
            return KEEP;
        }
        if (marker instanceof Marker.Release release) {
            return new Put(current.due(DeadlineIndex.plus(timestamp, release.delay().toMillis()),
                    PendingAction.RELEASE));
        }
        if (marker instanceof Marker.Extend extend) {
            return current.action() != PendingAction.TIMEOUT ? KEEP
                    : new Put(current.due(DeadlineIndex.plus(timestamp, extend.extension().toMillis()),
                    PendingAction.TIMEOUT));
        }
        if (marker instanceof Marker.Reject reject) {
            return new Put(current.rejected(timestamp, reject.reason()));
        }
        return KEEP;
    }
}
