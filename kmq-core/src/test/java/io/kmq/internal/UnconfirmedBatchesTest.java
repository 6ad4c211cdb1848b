package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class UnconfirmedBatchesTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MarkerSender markers = new MarkerSender(producer, "t", "t__markers", false);
    private final BatchStarter<String, String> starter =
            new BatchStarter<>(markers, true, Duration.ofSeconds(10), java.time.Clock.fixed(Instant.EPOCH,
                    java.time.ZoneOffset.UTC));

    private static List<ConsumerRecord<String, String>> records(int partition, long from, int count) {
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        for (long offset = from; offset < from + count; offset++) {
            records.add(new ConsumerRecord<>("t", partition, offset, "k", "v"));
        }
        return records;
    }

    private StartedBatch<String, String> started(int partition, long from, int count) {
        return starter.start(records(partition, from, count));
    }

    private static List<Long> offsets(java.util.Collection<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }

    @Test
    void onlyTheOldestDurableBatchesAreTakenInOrder() {
        UnconfirmedBatches<String, String> batches = new UnconfirmedBatches<>();
        StartedBatch<String, String> first = started(0, 0, 3);
        StartedBatch<String, String> second = started(0, 3, 3);
        StartedBatch<String, String> third = started(0, 6, 3);
        batches.add(first);
        batches.add(second);
        batches.add(third);
        assertNull(batches.takeOldestDurable(), "nothing acknowledged");

        producer.completeNext();
        producer.errorNext(new TimeoutException("injected"));
        producer.completeNext(); // the third is durable, behind a failed one
        assertEquals(List.of(2L), offsets(batches.takeOldestDurable()), "the last record of the first batch");
        assertNull(batches.takeOldestDurable(), "stops at the failed batch");
        assertEquals(second.starts(), batches.oldestStarts());
        assertEquals(List.of(3L, 6L), offsets(batches.takeAllFirsts()),
                "the first records of the failed batch and the one behind it, to seek back to offset 3");
        assertTrue(batches.isEmpty());
    }

    @Test
    void forgettingPartitionsKeepsTheOtherRecordsAndDropsEmptyBatches() {
        UnconfirmedBatches<String, String> batches = new UnconfirmedBatches<>();
        batches.add(started(0, 0, 2));
        List<ConsumerRecord<String, String>> mixed = List.of(new ConsumerRecord<>("t", 0, 2, "k", "v"),
                new ConsumerRecord<>("t", 1, 0, "k", "v"));
        batches.add(starter.start(mixed));

        batches.forget(Set.of(new TopicPartition("t", 0)));
        List<ConsumerRecord<String, String>> left = batches.takeAllFirsts();
        assertEquals(1, left.size());
        assertEquals(1, left.get(0).partition());
    }

    @Test
    void batchesAwaitingTheSameHeldOpenStartsAreOneEntryCommittedAtTheirNewestRecords() {
        MarkerSender coalescing = new MarkerSender(producer, "t", "t__markers", false, true);
        BatchStarter<String, String> starts = new BatchStarter<>(coalescing, true, Duration.ofSeconds(10),
                java.time.Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
        UnconfirmedBatches<String, String> batches = new UnconfirmedBatches<>();
        batches.add(starts.start(records(0, 0, 3)));
        batches.add(starts.start(records(0, 3, 3))); // grows the START held open for partition 0
        batches.add(starts.start(records(1, 0, 2))); // a START of its own: a second entry
        coalescing.flushStarts();
        assertNull(batches.takeOldestDurable(), "sent, not acknowledged");

        producer.completeNext();
        assertEquals(List.of(5L), offsets(batches.takeOldestDurable()), "both batches of partition 0 at once");
        assertNull(batches.takeOldestDurable());
        assertEquals(List.of(0L), offsets(batches.takeAllFirsts()), "partition 1's batch is left");
    }
}
