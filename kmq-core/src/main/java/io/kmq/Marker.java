package io.kmq;

import java.time.Duration;
import java.util.Objects;

/**
 * A marker: what a {@link KmqClient} or the redelivery tracker says about one message. The byte encoding of every
 * type is specified in {@link MarkerCodec}.
 */
public sealed interface Marker {

    /** The type byte that starts this marker's encoded value. */
    byte type();

    /**
     * Processing of the message started; unless an {@link End} follows, the message is due for redelivery at the
     * marker's timestamp plus {@code timeout}.
     *
     * @param timeout how long the processor may take, positive
     */
    record Start(Duration timeout) implements Marker {
        /** Validates the timeout. */
        public Start {
            requirePositive(timeout, "timeout");
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_START;
        }
    }

    /** Processing of the message ended: it is acknowledged and will not be redelivered. */
    record End() implements Marker {
        @Override
        public byte type() {
            return MarkerCodec.TYPE_END;
        }
    }

    /**
     * Negative acknowledgment: redeliver the message at the marker's timestamp plus {@code delay}. Counts as an attempt.
     *
     * @param delay how long to wait before redelivery, zero or positive
     */
    record Release(Duration delay) implements Marker {
        /** Validates the delay. */
        public Release {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay : " + delay + " (expected: >= 0)");
            }
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_RELEASE;
        }
    }

    /**
     * The processor gave up on the message: send it to the dead-letter topic now, with this reason.
     *
     * @param reason why, at most {@value MarkerCodec#MAX_REASON_BYTES} bytes in UTF-8
     */
    record Reject(String reason) implements Marker {
        /** Validates the reason. */
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_REJECT;
        }
    }

    /**
     * The processor needs more time: the message is due at the marker's timestamp plus {@code extension} instead.
     *
     * @param extension the new time allowed from now, positive
     */
    record Extend(Duration extension) implements Marker {
        /** Validates the extension. */
        public Extend {
            requirePositive(extension, "extension");
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_EXTEND;
        }
    }

    /**
     * Written by the redelivery tracker to a markers partition to learn, when it reads the tick back, that it has read
     * every marker appended before the tick. Concerns no message; its key is {@link MarkerKey#tick(int)}.
     */
    record Tick() implements Marker {
        @Override
        public byte type() {
            return MarkerCodec.TYPE_TICK;
        }
    }

    /**
     * Processing of {@code count} messages with consecutive offsets started: the messages at the key's offset up to
     * offset plus {@code count - 1}, all in the key's partition. Each one that no end marker covers is due for
     * redelivery at the marker's timestamp plus {@code timeout}. Written by clients in place of one {@link Start} per
     * message.
     *
     * @param timeout how long the processor may take, positive
     * @param count   how many consecutive offsets the marker covers, 1 to {@value MarkerCodec#MAX_RANGE_COUNT}
     */
    record StartRange(Duration timeout, int count) implements Marker {
        /** Validates the timeout and the count. */
        public StartRange {
            requirePositive(timeout, "timeout");
            requireRangeCount(count);
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_START_RANGE;
        }
    }

    /**
     * Processing of {@code count} messages with consecutive offsets, starting at the key's offset, ended: they are
     * acknowledged. Coalesces the {@link End} markers of contiguous acknowledgments.
     *
     * @param count how many consecutive offsets the marker covers, 1 to {@value MarkerCodec#MAX_RANGE_COUNT}
     */
    record EndRange(int count) implements Marker {
        /** Validates the count. */
        public EndRange {
            requireRangeCount(count);
        }

        @Override
        public byte type() {
            return MarkerCodec.TYPE_END_RANGE;
        }
    }

    private static void requireRangeCount(int count) {
        if (count < 1 || count > MarkerCodec.MAX_RANGE_COUNT) {
            throw new IllegalArgumentException("count : " + count + " (expected: 1 to " + MarkerCodec.MAX_RANGE_COUNT
                    + ")");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " : " + duration + " (expected: > 0)");
        }
    }
}
