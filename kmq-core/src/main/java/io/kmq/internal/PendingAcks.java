package io.kmq.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Acknowledgments recorded by one thread without a lock, for another structure to apply later under its own: a ring
 * of record positions with a single producer, whose entries are published with release stores and taken, oldest
 * first, by one consumer at a time (the caller excludes consumers from each other). Offering costs a few plain stores,
 * no atomic read-modify-write; a full ring refuses, and the producer then takes the locked path.
 */
final class PendingAcks {

    /**
     * Receives what {@link #drainTo} takes, oldest first, as stretches: {@code count} consecutive offsets of one
     * partition from {@code first}, offered one after the other.
     */
    @FunctionalInterface
    interface Sink {
        void accept(int partition, long first, int count);
    }

    private final int[] partitions;
    private final long[] offsets;
    private final int mask;
    /** How many entries were ever published; written by the producer only. */
    private final AtomicLong published = new AtomicLong();
    /** How many entries were ever taken; written by the consumer only. */
    private final AtomicLong taken = new AtomicLong();
    /** What the producer last read of {@link #taken}: room is checked against it, re-read only when it looks full. */
    private long producerSawTaken;

    /** A ring of {@code capacity} entries, a power of two. */
    PendingAcks(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity : " + capacity + " (expected: a positive power of two)");
        }
        this.partitions = new int[capacity];
        this.offsets = new long[capacity];
        this.mask = capacity - 1;
    }

    /** Producer only: records a position; false, recording nothing, if the ring is full. */
    boolean offer(int partition, long offset) {
        long next = published.getPlain(); // its own last write
        if (next - producerSawTaken > mask) {
            producerSawTaken = taken.getAcquire();
            if (next - producerSawTaken > mask) {
                return false;
            }
        }
        int slot = (int) next & mask;
        partitions[slot] = partition;
        offsets[slot] = offset;
        published.setRelease(next + 1);
        return true;
    }

    /** Whether no published entry waits (as seen by a consumer). */
    boolean isEmpty() {
        return published.getAcquire() == taken.getPlain();
    }

    /**
     * Consumer only (one at a time): gives every published entry to {@code sink}, oldest first, consecutive offsets of
     * a partition offered one after the other as one stretch; returns how many entries. If the sink throws, the
     * stretches before the one it threw on are taken, the rest stay.
     */
    int drainTo(Sink sink) {
        long from = taken.getPlain();
        long to = published.getAcquire();
        long stretchStart = from;
        try {
            while (stretchStart < to) {
                int slot = (int) stretchStart & mask;
                int partition = partitions[slot];
                long first = offsets[slot];
                long next = stretchStart + 1;
                while (next < to && partitions[(int) next & mask] == partition
                        && offsets[(int) next & mask] == first + (next - stretchStart)) {
                    next++;
                }
                sink.accept(partition, first, (int) (next - stretchStart));
                stretchStart = next;
            }
        } finally {
            if (stretchStart != from) {
                taken.setRelease(stretchStart);
            }
        }
        return (int) (to - from);
    }
}
