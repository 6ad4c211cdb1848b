package io.kmq.internal;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * @param records in partition order and offset order within a partition, as polled
     */
    public static List<MarkerRun> of(List<? extends ConsumerRecord<?, ?>> records) {
        List<MarkerRun> runs = new ArrayList<>();
        int partition = -1;
        long first = -1;
        int count = 0;
        for (ConsumerRecord<?, ?> record : records) {
            boolean continues = count > 0 && record.partition() == partition && record.offset() == first + count
                    && count < MarkerCodec.MAX_RANGE_COUNT;
            if (continues) {
                count++;
                continue;
            }
            if (count > 0) {
                runs.add(new MarkerRun(partition, first, count));
            }
            partition = record.partition();
            first = record.offset();
            count = 1;
        }
        if (count > 0) {
            runs.add(new MarkerRun(partition, first, count));
        }
        return runs;
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
