package io.kmq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Test support for a client on a MockConsumer and a MockProducer that completes sends only when the test says: the
 * consumer records every commit, records are fed by offset, and the client is closed while its awaited sends are
 * completed.
 */
final class ManualMocks {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private ManualMocks() {
    }

    /** A MockConsumer that records every offset committed, per partition, in order. */
    static class RecordingConsumer extends MockConsumer<String, String> {
        /** Every offset committed, per partition (MockConsumer's commitSync goes through commitAsync). */
        final Map<TopicPartition, List<Long>> commits = new ConcurrentHashMap<>();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> commits.computeIfAbsent(partition,
                    p -> new CopyOnWriteArrayList<>()).add(offset.offset()));
            super.commitAsync(offsets, callback);
        }
    }

    /** Assigns {@code partitions} from offset 0 on, polled at most 4 records at a time. */
    static void assign(MockConsumer<String, String> consumer, TopicPartition... partitions) {
        consumer.rebalance(List.of(partitions));
        Map<TopicPartition, Long> beginnings = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            beginnings.put(partition, 0L);
        }
        consumer.updateBeginningOffsets(beginnings);
        consumer.setMaxPollRecords(4);
    }

    /** Acknowledges every send not completed yet. */
    static void completeAll(MockProducer<?, ?> producer) {
        while (producer.completeNext()) {
            // every pending send acknowledged
        }
    }

    /** Closes the client, completing the sends its close waits for. */
    static void closeCompleting(KmqClient<?, ?> client, MockProducer<?, ?> producer) {
        completeAll(producer);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close);
        Awaitility.await().atMost(PATIENCE).until(() -> {
            completeAll(producer);
            return closing.isDone();
        });
        closing.join();
    }

    /** Adds {@code count} records of {@code partition} from {@code fromOffset} on, valued "v" + offset. */
    static void addRecords(MockConsumer<String, String> consumer, TopicPartition partition, long fromOffset,
                           int count) {
        for (long offset = fromOffset; offset < fromOffset + count; offset++) {
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k",
                    "v" + offset));
        }
    }

    /** The offsets of the records, in order. */
    static List<Long> offsets(List<? extends ConsumerRecord<?, ?>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }
}
