package io.kmq.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The consumer side of {@code KmqClient}: polls bounded batches, pauses for backpressure, commits batches and seeks
 * failed ones back. Confined to the polling thread, like the consumer it wraps (except {@link #wakeup()}).
 *
 * <p>Invariant: every record polled from Kafka is either returned in a batch or sought back, so it is polled again;
 * none is skipped.
 */
public final class BatchConsumer<K, V> implements AutoCloseable {

    private final Consumer<K, V> consumer;
    /** Whether the assignment is paused for backpressure. */
    private boolean paused;

    /** Wraps {@code consumer}, which this object then owns and closes. */
    public BatchConsumer(Consumer<K, V> consumer) {
        this.consumer = consumer;
    }

    /** Subscribes to {@code topic}; partitions assigned while paused for backpressure are paused at once. */
    public void subscribe(String topic) {
        consumer.subscribe(List.of(topic), new PauseWhileHoldingBack());
    }

    /**
     * Resumes the partitions if they were paused, polls, and returns the first {@code room} records; every record not
     * taken is sought back to be polled again.
     *
     * @return the records, in partition order and offset order within a partition
     */
    public List<ConsumerRecord<K, V>> poll(Duration timeout, int room) {
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
        ConsumerRecords<K, V> records = consumer.poll(timeout);
        List<ConsumerRecord<K, V>> batch = new ArrayList<>(Math.min(records.count(), room));
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<K, V>> ofPartition = records.records(partition);
            int take = Math.min(ofPartition.size(), room - batch.size());
            batch.addAll(ofPartition.subList(0, take));
            if (take < ofPartition.size()) {
                seekTo(ofPartition.get(take));
            }
        }
        return batch;
    }

    /**
     * At the in-flight limit: pauses every assigned partition, waits until {@code inFlight} is below {@code limit} (at
     * most {@code timeout}), then polls without fetching, only to stay in the group ({@code max.poll.interval.ms}).
     */
    public void holdBack(InFlightRecords inFlight, int limit, Duration timeout) {
        consumer.pause(consumer.assignment()); // every time: the assignment may have grown since the last pause
        paused = true;
        try {
            inFlight.awaitBelow(limit, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
        ConsumerRecords<K, V> unexpected = consumer.poll(Duration.ZERO);
        if (!unexpected.isEmpty()) {
            // a partition assigned during this poll escaped the pause: leave its records for a later batch
            rewind(unexpected.partitions().stream().map(p -> unexpected.records(p).get(0)).toList());
        }
    }

    /** Commits the offsets after the batch (last offset + 1 per partition), synchronously. */
    public void commit(List<ConsumerRecord<K, V>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<K, V> record : batch) { // offset order within a partition: the last one wins
            offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        }
        consumer.commitSync(offsets);
    }

    /** Seeks each partition of {@code records} that is still assigned back to its first record there. */
    public void rewind(Collection<ConsumerRecord<K, V>> records) {
        Map<TopicPartition, ConsumerRecord<K, V>> firstOfPartition = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> record : records) {
            firstOfPartition.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        firstOfPartition.forEach((partition, first) -> {
            if (assigned.contains(partition)) {
                seekTo(first);
            }
        });
    }

    /** Makes a blocking or the next poll or commit throw {@code WakeupException}; safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Closes the consumer: it leaves the group and commits nothing. */
    @Override
    public void close() {
        consumer.close();
    }

    private void seekTo(ConsumerRecord<K, V> record) {
        consumer.seek(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset(), record.leaderEpoch(), ""));
    }

    /** Keeps partitions assigned while holding back paused, so that they return no records meanwhile. */
    private final class PauseWhileHoldingBack implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing to do: offsets are committed with every batch, and markers do not depend on ownership
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }
    }
}
