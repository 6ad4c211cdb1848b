package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class MarkerRunTest {

    private static ConsumerRecord<String, String> record(int partition, long offset) {
        return new ConsumerRecord<>("orders", partition, offset, "k", "v");
    }

    @Test
    void runsSplitAtPartitionChangesAndOffsetGaps() {
        List<ConsumerRecord<String, String>> records = List.of(record(0, 3), record(0, 4), record(0, 5),
                record(0, 7), record(1, 8), record(1, 9), record(2, 0));
        assertEquals(List.of(new MarkerRun(0, 3, 3), new MarkerRun(0, 7, 1), new MarkerRun(1, 8, 2),
                new MarkerRun(2, 0, 1)), MarkerRun.of(records));
        assertEquals(List.of(), MarkerRun.of(List.of()));
    }

    @Test
    void runsSplitAtTheLargestCountARangeMarkerHolds() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (long offset = 0; offset < MarkerCodec.MAX_RANGE_COUNT + 5; offset++) {
            records.add(record(4, offset));
        }
        assertEquals(List.of(new MarkerRun(4, 0, MarkerCodec.MAX_RANGE_COUNT),
                new MarkerRun(4, MarkerCodec.MAX_RANGE_COUNT, 5)), MarkerRun.of(records));
    }

    @Test
    void aListWithoutRandomAccessIsSplitTheSame() {
        List<ConsumerRecord<String, String>> records = List.of(record(0, 3), record(0, 4), record(0, 5),
                record(0, 7), record(1, 8), record(1, 9), record(2, 0));
        assertEquals(MarkerRun.of(records), MarkerRun.of(new LinkedList<>(records)));
    }

    @Test
    void theBinarySearchFindsTheSameRunsAsReadingEveryRecord() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2_000; trial++) {
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            int partitions = 1 + random.nextInt(4);
            for (int partition = 0; partition < partitions; partition++) {
                long offset = random.nextInt(100);
                for (int i = random.nextInt(40); i > 0; i--) {
                    records.add(record(partition, offset));
                    offset += random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1; // now and then a gap
                }
            }
            assertEquals(splitReadingEveryRecord(records), MarkerRun.of(records), records::toString);
        }
    }

    /** The reference for the binary search: a new run at every partition change, gap or full range. */
    private static List<MarkerRun> splitReadingEveryRecord(List<ConsumerRecord<String, String>> records) {
        List<MarkerRun> runs = new ArrayList<>();
        int partition = -1;
        long first = -1;
        int count = 0;
        for (ConsumerRecord<String, String> record : records) {
            if (count > 0 && record.partition() == partition && record.offset() == first + count
                    && count < MarkerCodec.MAX_RANGE_COUNT) {
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

    @Test
    void markersOfARun() {
        MarkerRun run = new MarkerRun(2, 10, 4);
        assertEquals(new Marker.StartRange(Duration.ofSeconds(3), 4), run.start(Duration.ofSeconds(3)));
        assertEquals(new Marker.EndRange(4), run.end());
        assertEquals(new Marker.End(), new MarkerRun(2, 10, 1).end(), "a single offset ends with a plain END");
        assertEquals(13, run.last());
        assertEquals(List.of(true, true, false, false), List.of(run.covers(2, 10), run.covers(2, 13),
                run.covers(2, 14), run.covers(1, 11)));
        assertThrows(IllegalArgumentException.class, () -> new MarkerRun(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MarkerRun(0, 0, MarkerCodec.MAX_RANGE_COUNT + 1));
    }
}
