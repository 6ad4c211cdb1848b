package io.kmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acknowledgments recorded by one thread without a lock, for another structure to apply later under its own: a ring
 * of stretches of consecutive offsets of one partition, with a single producer, taken oldest first by one consumer at
 * a time (the caller excludes consumers from each other). Offering costs a few plain stores and no atomic
 * read-modify-write; a full ring refuses, and the producer then takes the locked path.
 *
 * <p>An offer that continues the newest stretch (same partition, next offset: a batch acknowledged in poll order)
 * only grows its count, published with a release store; any other offer starts a new stretch in the next slot,
 * published by a release store of the slot count. The newest stretch stays <i>open</i> in its slot until the next one
 * starts: a consumer takes what it holds so far and remembers how much ({@link #givenOfOldest}), and takes the rest
 * later. So consumers see every offer once, in offer order, and a poll acknowledged record by record costs one slot
 * per partition, not one per record.
 */
final class PendingAcks {

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * Receives what {@link #drainTo} takes, oldest first, as stretches: {@code count} consecutive offsets of one
     * partition from {@code first}, offered one after the other.
     */
    @FunctionalInterface
    interface Sink {
        void accept(int partition, long first, int count);
    }

    private final int[] partitions;
    private final long[] firsts;
    /** How many offsets each slot's stretch holds; the open one's grows (release stores, acquire loads). */
    private final int[] counts;
    private final int mask;
    /** How many slots were ever started; written by the producer only. */
    private final AtomicLong published = new AtomicLong();
    /** How many slots were ever taken in full (never the open one); written by the consumer only. */
    private final AtomicLong taken = new AtomicLong();
    /** What the producer last read of {@link #taken}: room is checked against it, re-read only when it looks full. */
    private long producerSawTaken;
    /** Producer only: the partition and the next offset of the open stretch, and its count (0 before any offer). */
    private int openPartition;
    private long openNext;
    private int openCount;
    /** Consumer only: how many offsets of the oldest slot not taken (it may be the open one) were given already. */
    private int givenOfOldest;

    /** A ring of {@code capacity} stretches, a power of two. */
    PendingAcks(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity : " + capacity + " (expected: a positive power of two)");
        }
        this.partitions = new int[capacity];
        this.firsts = new long[capacity];
        this.counts = new int[capacity];
        this.mask = capacity - 1;
    }

    /** Producer only: records a position; false, recording nothing, if it starts a stretch and the ring is full. */
    boolean offer(int partition, long offset) {
        long next = published.getPlain(); // its own last write
        if (offset == openNext && partition == openPartition && openCount > 0 && openCount < Integer.MAX_VALUE) {
            openNext++;
            COUNT.setRelease(counts, (int) (next - 1) & mask, ++openCount);
            return true;
        }
        if (next - producerSawTaken > mask) {
            producerSawTaken = taken.getAcquire();
            if (next - producerSawTaken > mask) {
                return false;
            }
        }
        int slot = (int) next & mask;
        partitions[slot] = partition;
        firsts[slot] = offset;
        counts[slot] = 1;
        openPartition = partition;
        openNext = offset + 1;
        openCount = 1;
        published.setRelease(next + 1);
        return true;
    }

    /** Whether no offered position waits (as seen by a consumer). */
    boolean isEmpty() {
        long from = taken.getPlain();
        long to = published.getAcquire();
        if (to - from != 1) {
            return to == from;
        }
        return (int) COUNT.getAcquire(counts, (int) from & mask) == givenOfOldest; // only the open stretch is left
    }

    /**
     * Consumer only (one at a time): gives every offered position not given before to {@code sink}, oldest first,
     * as stretches; returns how many positions. If the sink throws, the stretches before the one it threw on are
     * taken, the rest stay.
     */
    int drainTo(Sink sink) {
        long from = taken.getPlain();
        long slotIndex = from;
        long to = published.getAcquire();
        int given = 0;
        try {
            while (slotIndex < to) {
                int slot = (int) slotIndex & mask;
                int count = (int) COUNT.getAcquire(counts, slot);
                if (count > givenOfOldest) {
                    sink.accept(partitions[slot], firsts[slot] + givenOfOldest, count - givenOfOldest);
                    given += count - givenOfOldest;
                    givenOfOldest = count;
                }
                if (slotIndex == to - 1) {
                    break; // the open stretch: it may still grow, so its slot stays
                }
                slotIndex++;
                givenOfOldest = 0;
            }
        } finally {
            if (slotIndex != from) {
                taken.setRelease(slotIndex);
            }
        }
        return given;
    }
}
