package io.kmq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The wire format of markers, version 1: the one place it is specified. All integers are big-endian.
 *
 * <p><b>Key</b> (12 bytes): {@code int32 partition, int64 offset} of the message in the message topic. A
 * {@link Marker.Tick} uses offset {@code -1}.
 *
 * <p><b>Value</b>: one type byte, then a payload whose length the type fixes:
 * <table>
 *   <caption>Marker value types</caption>
 *   <tr><th>type</th><th>marker</th><th>payload</th><th>total length</th></tr>
 *   <tr><td>0</td><td>END</td><td>none</td><td>1</td></tr>
 *   <tr><td>1</td><td>START</td><td>{@code int64} timeout in ms</td><td>9</td></tr>
 *   <tr><td>2</td><td>RELEASE</td><td>{@code int64} delay in ms</td><td>9</td></tr>
 *   <tr><td>3</td><td>REJECT</td><td>{@code uint16 n}, then {@code n} bytes of UTF-8 reason ({@code n <= 1024})</td>
 *       <td>3 + n</td></tr>
 *   <tr><td>4</td><td>EXTEND</td><td>{@code int64} extension in ms</td><td>9</td></tr>
 *   <tr><td>5</td><td>TICK</td><td>none</td><td>1</td></tr>
 *   <tr><td>6</td><td>START_RANGE</td><td>{@code int64} timeout in ms, {@code int32 count}</td><td>13</td></tr>
 *   <tr><td>7</td><td>END_RANGE</td><td>{@code int32 count}</td><td>5</td></tr>
 * </table>
 *
 * <p>A range marker's key holds the first offset it covers; it covers {@code count} consecutive offsets
 * ({@code 1 <= count <=} {@value #MAX_RANGE_COUNT}) of the key's partition. Readers that know only types 0 to 5 treat
 * 6 and 7 as unknown, so clients write them only when {@code kmq.marker.ranges} is enabled.
 *
 * <p>Types 0 and 1 are byte for byte what the original softwaremill/kmq writes, so markers of existing deployments
 * decode. Times in payloads are relative to the marker's own timestamp, which is the broker's LogAppendTime: the
 * markers topic is created with {@code message.timestamp.type=LogAppendTime}. A value of the wrong length or an
 * unknown type raises {@link MalformedMarkerException}; decoding never fails with an index error.
 */
public final class MarkerCodec {

    /** Type byte of {@link Marker.End}. */
    public static final byte TYPE_END = 0;
    /** Type byte of {@link Marker.Start}. */
    public static final byte TYPE_START = 1;
    /** Type byte of {@link Marker.Release}. */
    public static final byte TYPE_RELEASE = 2;
    /** Type byte of {@link Marker.Reject}. */
    public static final byte TYPE_REJECT = 3;
    /** Type byte of {@link Marker.Extend}. */
    public static final byte TYPE_EXTEND = 4;
    /** Type byte of {@link Marker.Tick}. */
    public static final byte TYPE_TICK = 5;
    /** Type byte of {@link Marker.StartRange}. */
    public static final byte TYPE_START_RANGE = 6;
    /** Type byte of {@link Marker.EndRange}. */
    public static final byte TYPE_END_RANGE = 7;

    /** Length of an encoded key. */
    public static final int KEY_LENGTH = 12;
    /** Most bytes a {@link Marker.Reject} reason may take in UTF-8. */
    public static final int MAX_REASON_BYTES = 1024;
    /** Most consecutive offsets one range marker may cover. */
    public static final int MAX_RANGE_COUNT = 65_536;

    private static final int DURATION_VALUE_LENGTH = 9;
    private static final int START_RANGE_VALUE_LENGTH = 13;
    private static final int END_RANGE_VALUE_LENGTH = 5;
    private static final Marker.End END = new Marker.End();
    private static final Marker.Tick TICK = new Marker.Tick();

    private MarkerCodec() {
    }

    /** Encodes a key into its 12 bytes. */
    public static byte[] encodeKey(MarkerKey key) {
        return ByteBuffer.allocate(KEY_LENGTH).putInt(key.partition()).putLong(key.offset()).array();
    }

    /**
     * Decodes a key.
     *
     * @throws MalformedMarkerException if the bytes are null, not 12 bytes long, or hold a negative partition or offset
     */
    public static MarkerKey decodeKey(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedMarkerException("marker key is null (expected: " + KEY_LENGTH + " bytes)");
        }
        if (bytes.length != KEY_LENGTH) {
            throw new MalformedMarkerException("marker key has " + bytes.length + " bytes (expected: " + KEY_LENGTH + ")");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int partition = buffer.getInt();
        long offset = buffer.getLong();
        if (partition < 0 || offset < MarkerKey.TICK_OFFSET) {
            throw new MalformedMarkerException("marker key holds partition " + partition + " and offset " + offset
                    + " (expected: partition >= 0, offset >= -1)");
        }
        return new MarkerKey(partition, offset);
    }

    /**
     * Encodes a marker value.
     *
     * @throws IllegalArgumentException if a {@link Marker.Reject} reason exceeds {@value #MAX_REASON_BYTES} UTF-8 bytes
     */
    public static byte[] encodeValue(Marker marker) {
        if (marker instanceof Marker.Start start) {
            return durationValue(TYPE_START, start.timeout());
        } else if (marker instanceof Marker.End) {
            return new byte[] {TYPE_END};
        } else if (marker instanceof Marker.Release release) {
            return durationValue(TYPE_RELEASE, release.delay());
        } else if (marker instanceof Marker.Reject reject) {
            byte[] reason = reject.reason().getBytes(StandardCharsets.UTF_8);
            if (reason.length > MAX_REASON_BYTES) {
                throw new IllegalArgumentException("reject reason : " + reason.length + " bytes (expected: <= "
                        + MAX_REASON_BYTES + ")");
            }
            return ByteBuffer.allocate(3 + reason.length).put(TYPE_REJECT).putShort((short) reason.length).put(reason)
                    .array();
        } else if (marker instanceof Marker.Extend extend) {
            return durationValue(TYPE_EXTEND, extend.extension());
        } else if (marker instanceof Marker.Tick) {
            return new byte[] {TYPE_TICK};
        } else if (marker instanceof Marker.StartRange range) {
            return ByteBuffer.allocate(START_RANGE_VALUE_LENGTH).put(TYPE_START_RANGE).putLong(ceilMillis(range.timeout()))
                    .putInt(range.count()).array();
        } else if (marker instanceof Marker.EndRange range) {
            return ByteBuffer.allocate(END_RANGE_VALUE_LENGTH).put(TYPE_END_RANGE).putInt(range.count()).array();
        }
        throw new IllegalArgumentException("unknown marker " + marker);
    }

    /**
     * Decodes a marker value.
     *
     * @throws MalformedMarkerException if the value is null or empty, has an unknown type byte, has the wrong length
     *     for its type, or holds an out-of-range duration or invalid UTF-8
     */
    public static Marker decodeValue(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedMarkerException("marker value is " + (bytes == null ? "null" : "empty")
                    + " (expected: a type byte)");
        }
        byte type = bytes[0];
        switch (type) {
            case TYPE_END:
                requireLength(bytes, 1, "END");
                return END;
            case TYPE_START:
                return new Marker.Start(positiveDuration(bytes, "START"));
            case TYPE_RELEASE:
                requireLength(bytes, DURATION_VALUE_LENGTH, "RELEASE");
                long delay = ByteBuffer.wrap(bytes, 1, 8).getLong();
                if (delay < 0) {
                    throw new MalformedMarkerException("RELEASE marker holds delay " + delay + " ms (expected: >= 0)");
                }
                return new Marker.Release(Duration.ofMillis(delay));
            case TYPE_REJECT:
                return decodeReject(bytes);
            case TYPE_EXTEND:
                return new Marker.Extend(positiveDuration(bytes, "EXTEND"));
            case TYPE_TICK:
                requireLength(bytes, 1, "TICK");
                return TICK;
            case TYPE_START_RANGE:
                return decodeStartRange(bytes);
            case TYPE_END_RANGE:
                requireLength(bytes, END_RANGE_VALUE_LENGTH, "END_RANGE");
                return new Marker.EndRange(rangeCount(ByteBuffer.wrap(bytes, 1, 4).getInt(), "END_RANGE"));
            default:
                throw new MalformedMarkerException("marker value has unknown type byte " + type
                        + " (expected: 0 to 7)");
        }
    }

    private static byte[] durationValue(byte type, Duration duration) {
        return ByteBuffer.allocate(DURATION_VALUE_LENGTH).put(type).putLong(ceilMillis(duration)).array();
    }

    /**
     * Whole milliseconds, rounded up so that a positive sub-millisecond duration stays positive (and decodable), and
     * saturated at {@link Long#MAX_VALUE} instead of overflowing.
     */
    static long ceilMillis(Duration duration) {
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        Duration remainder = duration.minusMillis(millis);
        boolean truncated = !remainder.isZero() && !remainder.isNegative();
        return truncated && millis < Long.MAX_VALUE ? millis + 1 : millis;
    }

    private static Duration positiveDuration(byte[] bytes, String name) {
        requireLength(bytes, DURATION_VALUE_LENGTH, name);
        long millis = ByteBuffer.wrap(bytes, 1, 8).getLong();
        if (millis <= 0) {
            throw new MalformedMarkerException(name + " marker holds " + millis + " ms (expected: > 0)");
        }
        return Duration.ofMillis(millis);
    }

    private static Marker decodeStartRange(byte[] bytes) {
        requireLength(bytes, START_RANGE_VALUE_LENGTH, "START_RANGE");
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, 12);
        long timeout = buffer.getLong();
        if (timeout <= 0) {
            throw new MalformedMarkerException("START_RANGE marker holds " + timeout + " ms (expected: > 0)");
        }
        return new Marker.StartRange(Duration.ofMillis(timeout), rangeCount(buffer.getInt(), "START_RANGE"));
    }

    private static int rangeCount(int count, String name) {
        if (count < 1 || count > MAX_RANGE_COUNT) {
            throw new MalformedMarkerException(name + " marker holds count " + count + " (expected: 1 to "
                    + MAX_RANGE_COUNT + ")");
        }
        return count;
    }

    private static Marker decodeReject(byte[] bytes) {
        if (bytes.length < 3) {
            throw new MalformedMarkerException("REJECT marker value has " + bytes.length
                    + " bytes (expected: at least 3)");
        }
        int length = ByteBuffer.wrap(bytes, 1, 2).getShort() & 0xFFFF;
        if (length > MAX_REASON_BYTES || bytes.length != 3 + length) {
            throw new MalformedMarkerException("REJECT marker value has " + bytes.length + " bytes and reason length "
                    + length + " (expected: 3 + length bytes, length <= " + MAX_REASON_BYTES + ")");
        }
        try {
            String reason = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 3, length))
                    .toString();
            return new Marker.Reject(reason);
        } catch (CharacterCodingException e) {
            throw new MalformedMarkerException("REJECT marker reason is not valid UTF-8");
        }
    }

    private static void requireLength(byte[] bytes, int expected, String name) {
        if (bytes.length != expected) {
            throw new MalformedMarkerException(name + " marker value has " + bytes.length + " bytes (expected: "
                    + expected + ")");
        }
    }
}
