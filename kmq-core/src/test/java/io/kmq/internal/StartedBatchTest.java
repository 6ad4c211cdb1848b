package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class StartedBatchTest {

    private static ConsumerRecord<String, String> record(int partition, long offset) {
        return new ConsumerRecord<>("t", partition, offset, "k", "v");
    }

    @Test
    void theLastRecordOfEachRunIncludesTheLastOfEachPartition() {
        List<ConsumerRecord<String, String>> records = List.of(record(0, 0), record(0, 1), record(0, 2), record(0, 5),
                record(0, 6), record(1, 3));
        StartedBatch<String, String> batch = new StartedBatch<>(records, MarkerRun.of(records), null, Instant.EPOCH);

        assertEquals(List.of(records.get(2), records.get(4), records.get(5)), batch.lastOfEachRun());
        List<ConsumerRecord<String, String>> given = new java.util.ArrayList<>();
        batch.forEachLastOfRun(given::add);
        assertEquals(batch.lastOfEachRun(), given);
    }

    @Test
    void runBoundsAreTheFirstAndLastRecordOfEachRunTheSameForARunOfOne() {
        List<ConsumerRecord<String, String>> records = List.of(record(0, 0), record(0, 1), record(0, 2), record(0, 5),
                record(0, 6), record(1, 3));
        StartedBatch<String, String> batch = new StartedBatch<>(records, MarkerRun.of(records), null, Instant.EPOCH);

        List<ConsumerRecord<String, String>> given = new java.util.ArrayList<>();
        batch.forEachRunBounds((first, last) -> {
            given.add(first);
            given.add(last);
        });
        assertEquals(List.of(records.get(0), records.get(2), records.get(3), records.get(4), records.get(5),
                records.get(5)), given);
    }
}
