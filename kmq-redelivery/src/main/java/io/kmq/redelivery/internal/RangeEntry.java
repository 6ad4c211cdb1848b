package io.kmq.redelivery.internal;

import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Consecutive offsets of one partition started by one START_RANGE marker and still timing out together: the offsets
 * {@code first.offset()} to {@code first.offset() + count - 1}, minus the <em>removed</em> ones (ended, or split out
 * into a single {@link InflightEntry} by a later per-message marker). Every live offset is in state
 * {@code InflightEntry(deadline, firstStart, TIMEOUT)}. Stored in the {@code ranges} store keyed by the marker key of
 * the first offset; its size depends on {@code count}, not on how many markers touched it.
 *
 * <p>Stored format, version 1 (big-endian): {@code int8 version=1, int32 count, int64 deadline, int64 firstStart},
 * then the removed offsets as a little-endian bitmap ({@link BitSet#toByteArray()}, bit {@code i} is offset
 * {@code first + i}), trailing zero bytes dropped.
 *
 * <p>Mutable: {@link #remove} changes the entry in place; the caller writes it back.
 */
public final class RangeEntry {

    private static final byte VERSION = 1;
    private static final int FIXED_LENGTH = 21;

    private final MarkerKey first;
    private final int count;
    private final long deadline;
    private final long firstStart;
    private final BitSet removed;
    private int live;

    /**
     * A range of {@code count} offsets from {@code first}, with {@code removed} (relative indexes) not in flight.
     *
     * @throws IllegalArgumentException if the count is outside 1 to {@value MarkerCodec#MAX_RANGE_COUNT} or the last
     *     offset would overflow
     */
    public RangeEntry(MarkerKey first, int count, long deadline, long firstStart, BitSet removed) {
        this.first = Objects.requireNonNull(first, "first");
        if (count < 1 || count > MarkerCodec.MAX_RANGE_COUNT || first.offset() < 0
                || first.offset() > Long.MAX_VALUE - count) {
            throw new IllegalArgumentException("range of " + count + " from " + first + " (expected: offset >= 0, "
                    + "count 1 to " + MarkerCodec.MAX_RANGE_COUNT + ", last offset <= Long.MAX_VALUE - 1)");
        }
        this.count = count;
        this.deadline = DeadlineIndex.clamp(deadline);
        this.firstStart = firstStart;
        this.removed = (BitSet) removed.clone();
        if (this.removed.length() > count) {
            this.removed.clear(count, this.removed.length());
        }
        this.live = count - this.removed.cardinality();
    }

    /** The key of the first offset (the store key). */
    public MarkerKey first() {
        return first;
    }

    /** How many offsets the range spans (live or not). */
    public int count() {
        return count;
    }

    /** One past the last offset the range spans. */
    public long end() {
        return first.offset() + count;
    }

    /** When the live offsets are due. */
    public long deadline() {
        return deadline;
    }

    /** How many offsets are still in flight. */
    public int live() {
        return live;
    }

    /** Whether {@code offset} lies in the span (live or not). */
    public boolean spans(long offset) {
        return offset >= first.offset() && offset < end();
    }

    /** Whether {@code offset} is in the span and still in flight. */
    public boolean isLive(long offset) {
        return spans(offset) && !removed.get(index(offset));
    }

    /** The state every live offset is in. */
    public InflightEntry entry() {
        return new InflightEntry(deadline, firstStart, PendingAction.TIMEOUT, "");
    }

    /** Removes the offsets {@code from} (inclusive) to {@code to} (exclusive), clipped to the span. */
    public void remove(long from, long to) {
        long lo = Math.max(from, first.offset());
        long hi = Math.min(to, end());
        if (lo < hi) {
            removed.set(index(lo), index(hi));
            live = count - removed.cardinality();
        }
    }

    /** Calls {@code action} with each live offset from {@code from} (inclusive) to {@code to} (exclusive), ascending. */
    public void forEachLive(long from, long to, LongConsumer action) {
        long lo = Math.max(from, first.offset());
        long hi = Math.min(to, end());
        if (lo >= hi) {
            return;
        }
        int last = index(hi);
        for (int i = removed.nextClearBit(index(lo)); i < last; i = removed.nextClearBit(i + 1)) {
            action.accept(first.offset() + i);
        }
    }

    /**
     * The part of this range from {@code from} (inclusive) to {@code to} (exclusive), clipped to the span, with the
     * same deadline, first start and removed offsets; null if that part has no live offset.
     */
    public RangeEntry slice(long from, long to) {
        long lo = Math.max(from, first.offset());
        long hi = Math.min(to, end());
        if (lo >= hi) {
            return null;
        }
        BitSet part = removed.get(index(lo), index(hi));
        RangeEntry slice = new RangeEntry(new MarkerKey(first.partition(), lo), (int) (hi - lo), deadline,
                firstStart, part);
        return slice.live == 0 ? null : slice;
    }

    /** Encodes the entry for the store. */
    public byte[] encode() {
        byte[] bitmap = removed.toByteArray();
        return ByteBuffer.allocate(FIXED_LENGTH + bitmap.length).put(VERSION).putInt(count).putLong(deadline)
                .putLong(firstStart).put(bitmap).array();
    }

    /**
     * Decodes a stored entry whose key is {@code first}.
     *
     * @throws IllegalStateException if the bytes are not a range entry of a known version (corrupt state)
     */
    public static RangeEntry decode(MarkerKey first, byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_LENGTH || bytes[0] != VERSION
                || bytes.length > FIXED_LENGTH + MarkerCodec.MAX_RANGE_COUNT / 8) {
            throw new IllegalStateException("stored range entry of " + (bytes == null ? "null" : bytes.length
                    + " bytes") + " at " + first + " (expected: version " + VERSION + ", " + FIXED_LENGTH + " to "
                    + (FIXED_LENGTH + MarkerCodec.MAX_RANGE_COUNT / 8) + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        int count = buffer.getInt();
        long deadline = buffer.getLong();
        long firstStart = buffer.getLong();
        BitSet removed = BitSet.valueOf(ByteBuffer.wrap(bytes, FIXED_LENGTH, bytes.length - FIXED_LENGTH));
        try {
            return new RangeEntry(first, count, deadline, firstStart, removed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored range entry at " + first + " is invalid: " + e.getMessage(), e);
        }
    }

    private int index(long offset) {
        return (int) (offset - first.offset());
    }

    @Override
    public String toString() {
        return "range " + first + "+" + count + " (" + live + " live) due " + deadline;
    }
}
