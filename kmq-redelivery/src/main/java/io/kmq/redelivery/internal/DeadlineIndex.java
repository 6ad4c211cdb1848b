package io.kmq.redelivery.internal;

import io.kmq.MarkerKey;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the {@code deadlines} store: {@code int64 deadline ms, int32 partition, int64 offset}, big-endian, 20 bytes.
 * RocksDB orders keys as unsigned bytes, which for non-negative numbers is numeric order, so "everything due before
 * t" is one range scan from {@link #lowest()} to {@link #lastBefore(long)}.
 *
 * <p>Invariant: every stored key has deadline, partition and offset {@code >= 0} (deadlines are clamped by
 * {@link #clamp(long)}, tick keys are never stored), so the bounds below cover exactly the intended keys.
 */
public final class DeadlineIndex {

    /** Length of an index key. */
    public static final int KEY_LENGTH = 20;

    private DeadlineIndex() {
    }

    /** The index key of {@code key} due at {@code deadline}. */
    public static Bytes key(long deadline, MarkerKey key) {
        return Bytes.wrap(ByteBuffer.allocate(KEY_LENGTH)
                .putLong(clamp(deadline)).putInt(key.partition()).putLong(key.offset()).array());
    }

    /** The deadline an index key holds. */
    public static long deadline(Bytes indexKey) {
        return ByteBuffer.wrap(check(indexKey)).getLong(0);
    }

    /** The marker key an index key holds. */
    public static MarkerKey markerKey(Bytes indexKey) {
        ByteBuffer buffer = ByteBuffer.wrap(check(indexKey));
        return new MarkerKey(buffer.getInt(8), buffer.getLong(12));
    }

    /** The smallest possible index key. */
    public static Bytes lowest() {
        return Bytes.wrap(new byte[KEY_LENGTH]);
    }

    /** The smallest index key with a deadline {@code >= deadline}. */
    public static Bytes firstAtOrAfter(long deadline) {
        return Bytes.wrap(ByteBuffer.allocate(KEY_LENGTH).putLong(clamp(deadline)).putInt(0).putLong(0).array());
    }

    /**
     * The largest index key with a deadline {@code < exclusiveDeadline}; only meaningful for
     * {@code exclusiveDeadline > 0} (nothing is due before 0).
     */
    public static Bytes lastBefore(long exclusiveDeadline) {
        if (exclusiveDeadline <= 0) {
            throw new IllegalArgumentException("exclusiveDeadline : " + exclusiveDeadline + " (expected: > 0)");
        }
        return Bytes.wrap(ByteBuffer.allocate(KEY_LENGTH)
                .putLong(exclusiveDeadline - 1).putInt(Integer.MAX_VALUE).putLong(Long.MAX_VALUE).array());
    }

    /** A deadline as stored: never negative. */
    public static long clamp(long deadline) {
        return Math.max(0, deadline);
    }

    /** {@code timestamp + duration}, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    public static long plus(long timestamp, long durationMs) {
        long sum = timestamp + durationMs;
        return ((timestamp ^ sum) & (durationMs ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static byte[] check(Bytes indexKey) {
        byte[] bytes = indexKey.get();
        if (bytes.length != KEY_LENGTH) {
            throw new IllegalStateException("deadline index key has " + bytes.length + " bytes (expected: "
                    + KEY_LENGTH + ")");
        }
        return bytes;
    }
}
