package io.kmq.bench.internal;

import io.kmq.bench.BenchSettings;

/**
 * The value of every benchmark message, the one place its layout is specified (big-endian):
 * {@code int64 sequence, int64 send time (System.nanoTime of the sending JVM, in ns)}, then zero padding up to the
 * message size. Sequence numbers {@code >= 0} are the measured messages of a run, numbered from 0; negative ones are
 * priming messages that only prove the receiver is consuming. Producer and receiver run in one JVM, so the send time
 * and the receive time come from the same clock.
 */
public final class Payload {

    /** Bytes of the header; the rest of a payload is padding. */
    public static final int HEADER_BYTES = BenchSettings.PAYLOAD_HEADER_BYTES;

    private Payload() {
    }

    /**
     * A payload of {@code size} bytes.
     *
     * @throws IllegalArgumentException if {@code size} is below {@value #HEADER_BYTES}
     */
    public static byte[] encode(long sequence, long sendNanos, int size) {
        if (size < HEADER_BYTES) {
            throw new IllegalArgumentException("payload size : " + size + " (expected: >= " + HEADER_BYTES + ")");
        }
        byte[] bytes = new byte[size];
        putLong(bytes, 0, sequence);
        putLong(bytes, 8, sendNanos);
        return bytes;
    }

    /**
     * The sequence number of a payload.
     *
     * @throws IllegalArgumentException if the value is not a payload (null or too short)
     */
    public static long sequence(byte[] payload) {
        check(payload);
        return getLong(payload, 0);
    }

    /** The send time of a payload, in {@link System#nanoTime()} units. */
    public static long sendNanos(byte[] payload) {
        check(payload);
        return getLong(payload, 8);
    }

    private static void check(byte[] payload) {
        if (payload == null || payload.length < HEADER_BYTES) {
            throw new IllegalArgumentException("payload of " + (payload == null ? "null" : payload.length + " bytes")
                    + " (expected: at least " + HEADER_BYTES + " bytes)");
        }
    }

    private static void putLong(byte[] bytes, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long getLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }
}
