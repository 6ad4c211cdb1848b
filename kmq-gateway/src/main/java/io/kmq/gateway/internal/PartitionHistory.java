package io.kmq.gateway.internal;

/**
 * The recent records of one partition, bounded by count and bytes, for resuming subscriptions without reading Kafka.
 * Not thread-safe: guarded by its {@link TopicFeed}.
 *
 * <p>Invariant: every deliverable record of the partition with an offset from {@link #coveredFrom()} up to the feed's
 * position is held, in offset order. Evicting a record moves {@code coveredFrom} past it.
 */
final class PartitionHistory {

    private final int maxRecords;
    private final long maxBytes;
    private FeedRecord[] ring = new FeedRecord[16];
    private int head;
    private int size;
    private long bytes;
    private long coveredFrom;

    PartitionHistory(int maxRecords, long maxBytes, long start) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.coveredFrom = start;
    }

    /** Appends the next record of the partition (offsets increase), evicting the oldest beyond the bounds. */
    void append(FeedRecord record) {
        if (maxRecords == 0) {
            coveredFrom = record.offset() + 1;
            return;
        }
        if (size == maxRecords) {
            evictOldest();
        } else if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = record;
        size++;
        bytes += record.historyBytes();
        while (size > 0 && bytes > maxBytes) {
            evictOldest(); // may evict the new record itself: coveredFrom then moves past it
        }
    }

    /** Forgets everything: the history now starts at {@code start} (after the feed was moved there). */
    void reset(long start) {
        for (int i = 0; i < size; i++) {
            ring[(head + i) % ring.length] = null;
        }
        head = 0;
        size = 0;
        bytes = 0;
        coveredFrom = start;
    }

    /** Whether every record from offset {@code next} on is held (or {@code next} is at or past the feed position). */
    boolean covers(long next) {
        return next >= coveredFrom;
    }

    /** The first offset from which every record is held. */
    long coveredFrom() {
        return coveredFrom;
    }

    /** How many records are held. */
    int size() {
        return size;
    }

    /** The bytes accounted for the held records. */
    long bytes() {
        return bytes;
    }

    /** The {@code index}-th held record, oldest first. */
    FeedRecord get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index : " + index + " (expected: 0.." + (size - 1) + ")");
        }
        return ring[(head + index) % ring.length];
    }

    /** The index of the first held record with an offset at or after {@code offset}; {@link #size()} if none. */
    int indexOf(long offset) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (get(mid).offset() < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void evictOldest() {
        if (size == 0) {
            return;
        }
        FeedRecord oldest = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        bytes -= oldest.historyBytes();
        coveredFrom = oldest.offset() + 1;
    }

    private void grow() {
        FeedRecord[] bigger = new FeedRecord[(int) Math.min((long) maxRecords, ring.length * 2L)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
