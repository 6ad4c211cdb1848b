package io.kmq.internal;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consecutive offsets {@code first .. first + count - 1} of one partition of the message topic: what one range marker
 * covers. Invariant: {@code 1 <= count <= MarkerCodec.MAX_RANGE_COUNT}.
 */
public record MarkerRun(int partition, long first, int count) {

    /** Validates the count. */
    public MarkerRun {
        if (count < 1 || count > MarkerCodec.MAX_RANGE_COUNT) {
            throw new IllegalArgumentException("count : " + count + " (expected: 1 to " + MarkerCodec.MAX_RANGE_COUNT
                    + ")");
        }
    }

    /**
     * Splits records into runs: a new run starts at every partition change, every gap in the offsets (transaction
     * markers, compaction) and after {@link MarkerCodec#MAX_RANGE_COUNT} offsets.
     *
     * <p>Each run's end is found by binary search, reading O(log n) records per run instead of every record (a poll of
     * a backlog is one or a few runs of hundreds of records): "same partition as the run's first record, at its
     * offset plus the distance" holds up to the run's end and, by the order required below, never after it. A list
     * without fast random access (polled batches have it) is copied first.
     *
     * @param records grouped by partition (all the records of one partition adjacent) and in increasing offset order
     *                within a partition, as polled
     */
    public static List<MarkerRun> of(List<? extends ConsumerRecord<?, ?>> records) {
        List<? extends ConsumerRecord<?, ?>> indexed = records instanceof RandomAccess ? records
                : new ArrayList<>(records);
        List<MarkerRun> runs = new ArrayList<>();
        int size = indexed.size();
        for (int from = 0; from < size; ) {
            ConsumerRecord<?, ?> first = indexed.get(from);
            int end = runEnd(indexed, from, Math.min(size, from + MarkerCodec.MAX_RANGE_COUNT));
            runs.add(new MarkerRun(first.partition(), first.offset(), end - from));
            from = end;
        }
        return runs;
    }

    /** The index after the last record of the run starting at {@code from}, at most {@code limit}. */
    private static int runEnd(List<? extends ConsumerRecord<?, ?>> records, int from, int limit) {
        ConsumerRecord<?, ?> first = records.get(from);
        if (continues(first, records.get(limit - 1), limit - 1 - from)) {
            return limit; // the usual case: all of it
        }
        int continuing = from; // continues the run
        int notContinuing = limit - 1; // does not
        while (notContinuing - continuing > 1) {
            int middle = (continuing + notContinuing) >>> 1;
            if (continues(first, records.get(middle), middle - from)) {
                continuing = middle;
            } else {
                notContinuing = middle;
            }
        }
        return continuing + 1;
    }

    private static boolean continues(ConsumerRecord<?, ?> first, ConsumerRecord<?, ?> record, int distance) {
        return record.partition() == first.partition() && record.offset() == first.offset() + distance;
    }

    /** The key of this run's range marker: the partition and the first offset. */
    public MarkerKey key() {
        return new MarkerKey(partition, first);
    }

    /** The last offset covered. */
    public long last() {
        return first + count - 1;
    }

    /** Whether {@code offset} of {@code partition} is covered. */
    public boolean covers(int partition, long offset) {
        return this.partition == partition && offset >= first && offset <= last();
    }

    /** The START_RANGE marker of this run. */
    public Marker start(Duration timeout) {
        return new Marker.StartRange(timeout, count);
    }

    /** The marker ending this run: END for a single offset (as the original kmq writes), else END_RANGE. */
    public Marker end() {
        return count == 1 ? new Marker.End() : new Marker.EndRange(count);
    }
}
