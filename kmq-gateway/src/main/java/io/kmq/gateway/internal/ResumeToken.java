package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A resume token: the position of one fan-out subscription in its topic, as the next offset to deliver of every
 * partition. It is the only place the token format is defined ({@code docs/protocol.md} describes it); version 1:
 *
 * <pre>
 *   uint8   version            1
 *   int32   topic checksum     CRC32C of the topic name in UTF-8, big-endian (a token of another topic is refused)
 *   varint  n                  partition count, 1..{@value #MAX_PARTITIONS}
 *   varint  next[0..n-1]       next offset to deliver of partitions 0..n-1, each 0..2^63-1
 * </pre>
 *
 * varint is unsigned LEB128 (7 bits a byte, low bits first, at most 10 bytes). The bytes are sent as base64url
 * without padding. Decoding refuses any other version, a wrong checksum, truncated input, an over-long varint and
 * trailing bytes.
 */
public final class ResumeToken {

    /** The version byte of this layout. */
    public static final int VERSION = 1;
    /** The most partitions a token may describe. */
    public static final int MAX_PARTITIONS = 100_000;
    /** The longest token text accepted, in characters. */
    public static final int MAX_TEXT_LENGTH = 4 * (1 + 4 + 5 + MAX_PARTITIONS * 10) / 3 + 4;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final int topicChecksum;
    private final long[] next;

    private ResumeToken(int topicChecksum, long[] next) {
        this.topicChecksum = topicChecksum;
        this.next = next;
    }

    /**
     * The token of {@code topic} at positions {@code next} (copied).
     *
     * @throws IllegalArgumentException if there are no partitions, too many, or a negative offset
     */
    public static ResumeToken of(String topic, long[] next) {
        Objects.requireNonNull(topic, "topic");
        if (next.length < 1 || next.length > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions : " + next.length + " (expected: 1.." + MAX_PARTITIONS + ")");
        }
        for (int p = 0; p < next.length; p++) {
            if (next[p] < 0) {
                throw new IllegalArgumentException("next offset of partition " + p + " : " + next[p]
                        + " (expected: >= 0)");
            }
        }
        return new ResumeToken(checksum(topic), next.clone());
    }

    /**
     * Encodes positions for the topic of checksum {@code topicChecksum} (see {@link #checksum}) without copying: the
     * form made for every message.
     */
    public static String encode(int topicChecksum, long[] next) {
        return new ResumeToken(topicChecksum, next).encode();
    }

    /**
     * Decodes a token and checks that it belongs to {@code topic}.
     *
     * @throws ProtocolException with {@link ErrorCode#INVALID_TOKEN} saying what is wrong
     */
    public static ResumeToken decode(String text, String topic) {
        Objects.requireNonNull(topic, "topic");
        if (text == null || text.isEmpty()) {
            throw invalid("it is empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw invalid("it has " + text.length() + " characters (expected: <= " + MAX_TEXT_LENGTH + ")");
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid("it is not base64url: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 1 + 4) {
            throw invalid("it has " + bytes.length + " bytes (expected: >= 6)");
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw invalid("version " + version + " (expected: " + VERSION + ")");
        }
        int checksum = in.getInt();
        if (checksum != checksum(topic)) {
            throw invalid("it belongs to another topic than " + topic);
        }
        long n = readVarint(in, "partition count");
        if (n < 1 || n > MAX_PARTITIONS) {
            throw invalid("partition count " + n + " (expected: 1.." + MAX_PARTITIONS + ")");
        }
        long[] next = new long[(int) n];
        for (int p = 0; p < n; p++) {
            next[p] = readVarint(in, "next offset of partition " + p);
        }
        if (in.hasRemaining()) {
            throw invalid(in.remaining() + " trailing byte(s)");
        }
        return new ResumeToken(checksum, next);
    }

    /** The base64url text of this token. */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 + 4 + 5 + next.length * 4);
        out.write(VERSION);
        out.write(topicChecksum >>> 24);
        out.write(topicChecksum >>> 16);
        out.write(topicChecksum >>> 8);
        out.write(topicChecksum);
        writeVarint(out, next.length);
        for (long offset : next) {
            writeVarint(out, offset);
        }
        return ENCODER.encodeToString(out.toByteArray());
    }

    /** How many partitions the token describes. */
    public int partitions() {
        return next.length;
    }

    /**
     * The next offsets, padded with 0 (the start of the log) up to {@code partitions} for partitions added since the
     * token was made.
     *
     * @throws ProtocolException with {@link ErrorCode#INVALID_TOKEN} if the token has more partitions than that
     */
    public long[] nextOffsets(int partitions) {
        if (next.length > partitions) {
            throw invalid("it describes " + next.length + " partitions but the topic has " + partitions);
        }
        return Arrays.copyOf(next, partitions);
    }

    /** CRC32C of the topic name in UTF-8, the token's topic check. */
    public static int checksum(String topic) {
        CRC32C crc = new CRC32C();
        crc.update(topic.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(ByteBuffer in, String what) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (!in.hasRemaining()) {
                throw invalid("truncated in the " + what);
            }
            int b = in.get() & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value; // 9 bytes carry 63 bits: the value cannot exceed 2^63-1
            }
        }
        throw invalid("the " + what + " is longer than 9 bytes (exceeds 2^63-1)");
    }

    private static ProtocolException invalid(String why) {
        return new ProtocolException(ErrorCode.INVALID_TOKEN, "resume token refused: " + why);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResumeToken that && topicChecksum == that.topicChecksum
                && Arrays.equals(next, that.next);
    }

    @Override
    public int hashCode() {
        return 31 * topicChecksum + Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return "ResumeToken" + Arrays.toString(next);
    }
}
