package io.kmq.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * With {@code kmq.start.await=commit}: the batches handed out whose START markers are not all known to be
 * acknowledged yet, oldest first. Their offsets may be committed only in that order, and only up to the first batch
 * whose START markers are not all durable. Confined to the polling thread.
 */
final class UnconfirmedBatches<K, V> {

    private final Deque<StartedBatch<K, V>> batches = new ArrayDeque<>();

    /** Adds a batch just handed out, as the newest. */
    void add(StartedBatch<K, V> batch) {
        batches.addLast(batch);
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** The oldest batch, or null if there is none. */
    StartedBatch<K, V> oldest() {
        return batches.peekFirst();
    }

    /**
     * Takes the oldest batch if its START markers are all acknowledged, else returns null (none, in flight or failed):
     * called until null, it takes the batches whose offsets the caller may commit, oldest first.
     */
    StartedBatch<K, V> takeOldestDurable() {
        StartedBatch<K, V> oldest = batches.peekFirst();
        return oldest != null && oldest.starts().succeeded() ? batches.pollFirst() : null;
    }

    /** Waits until the START markers of every batch are acknowledged or failed (bounded by the producer's timeouts). */
    void awaitAll(MarkerSender markers) {
        batches.forEach(batch -> markers.await(batch.starts()));
    }

    /** Takes every batch and returns their records, oldest first (to seek them back). */
    List<ConsumerRecord<K, V>> takeAllRecords() {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        batches.forEach(batch -> records.addAll(batch.records()));
        batches.clear();
        return records;
    }

    /** Forgets the records of partitions this client no longer owns: it can no longer commit them. */
    void forget(Collection<TopicPartition> partitions) {
        if (batches.isEmpty()) {
            return;
        }
        List<StartedBatch<K, V>> kept = new ArrayList<>(batches.size());
        for (StartedBatch<K, V> batch : batches) {
            StartedBatch<K, V> rest = batch.without(partitions);
            if (!rest.records().isEmpty()) {
                kept.add(rest);
            }
        }
        batches.clear();
        batches.addAll(kept);
    }
}
