package io.kmq;

/**
 * Identifies the message a marker is about: its partition and offset in the message topic. The marker for message
 * partition {@code p} is always written to markers partition {@code p}.
 *
 * @param partition the message's partition, {@code >= 0}
 * @param offset    the message's offset, {@code >= 0}; {@value #TICK_OFFSET} only in the key of a {@link Marker.Tick}
 */
public record MarkerKey(int partition, long offset) implements Comparable<MarkerKey> {

    /** The offset carried by the key of a {@link Marker.Tick}, which concerns no message. */
    public static final long TICK_OFFSET = -1L;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the partition is negative or the offset is below {@value #TICK_OFFSET}
     */
    public MarkerKey {
        if (partition < 0) {
            throw new IllegalArgumentException("partition : " + partition + " (expected: >= 0)");
        }
        if (offset < TICK_OFFSET) {
            throw new IllegalArgumentException("offset : " + offset + " (expected: >= -1)");
        }
    }

    /** The key of the tick marker for one markers partition. */
    public static MarkerKey tick(int partition) {
        return new MarkerKey(partition, TICK_OFFSET);
    }

    /**
     * Spreads partitions far apart: the record's default ({@code 31 * partition + hash(offset)}) gives
     * {@code (p, o)} and {@code (p + 1, o - 31)} the same hash, so with several partitions at similar offsets every
     * hash is shared by one key per partition and hash maps of keys in flight degrade into long chains.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(offset) ^ (partition * 0x9E3779B9);
    }

    @Override
    public int compareTo(MarkerKey other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
