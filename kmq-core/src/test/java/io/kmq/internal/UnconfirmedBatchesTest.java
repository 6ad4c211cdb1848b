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

    private StartedBatch<String, String> started(int partition, long from, int count) {
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        for (long offset = from; offset < from + count; offset++) {
            records.add(new ConsumerRecord<>("t", partition, offset, "k", "v"));
        }
        return starter.start(records);
    }

    @Test
    void onlyTheOldestDurableBatchesAreTakenInOrder() {
        UnconfirmedBatches<String, String> batches = new UnconfirmedBatches<>();
        StartedBatch<String, String> first = started(0, 0, 2);
        StartedBatch<String, String> second = started(0, 2, 2);
        StartedBatch<String, String> third = started(0, 4, 2);
        batches.add(first);
        batches.add(second);
        batches.add(third);
        assertNull(batches.takeOldestDurable(), "nothing acknowledged");

        producer.completeNext();
        producer.errorNext(new TimeoutException("injected"));
        producer.completeNext(); // the third is durable, behind a failed one
        assertEquals(first, batches.takeOldestDurable());
        assertNull(batches.takeOldestDurable(), "stops at the failed batch");
        assertEquals(second, batches.oldest());
        assertEquals(4, batches.takeAllRecords().size(), "the failed batch and the one behind it, to seek back");
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
        List<ConsumerRecord<String, String>> left = batches.takeAllRecords();
        assertEquals(1, left.size());
        assertEquals(1, left.get(0).partition());
    }
}
