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
 *
 * <p>Only the first and the last record of each run of a batch are kept ({@link StartedBatch#runBounds}): all a commit
 * (the last record of each partition) and a seek back (the first) need. Holding every record handed out until its
 * START marker is acknowledged (with START coalescing, up to {@code kmq.ack.flush.interval.ms}) kept tens of
 * thousands of processed records reachable when draining a backlog, for the next young collection to copy.
 */
final class UnconfirmedBatches<K, V> {

    /** A batch handed out: the first and last record of each of its runs, and its START markers. */
    private record Unconfirmed<K, V>(List<ConsumerRecord<K, V>> runBounds, MarkerSender.Pending starts) {
    }

    private final Deque<Unconfirmed<K, V>> batches = new ArrayDeque<>();

    /** Adds a batch just handed out, as the newest. */
    void add(StartedBatch<K, V> batch) {
        batches.addLast(new Unconfirmed<>(batch.runBounds(), batch.starts()));
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** The START markers of the oldest batch, or null if there is none. */
    MarkerSender.Pending oldestStarts() {
        Unconfirmed<K, V> oldest = batches.peekFirst();
        return oldest == null ? null : oldest.starts();
    }

    /**
     * Takes the oldest batch if its START markers are all acknowledged, and returns the first and last record of each
     * of its runs, in order; else returns null (none, in flight or failed). Called until null, it takes the batches
     * whose offsets the caller may commit, oldest first.
     */
    List<ConsumerRecord<K, V>> takeOldestDurable() {
        Unconfirmed<K, V> oldest = batches.peekFirst();
        return oldest != null && oldest.starts().succeeded() ? batches.pollFirst().runBounds() : null;
    }

    /** Waits until the START markers of every batch are acknowledged or failed (bounded by the producer's timeouts). */
    void awaitAll(MarkerSender markers) {
        batches.forEach(batch -> markers.await(batch.starts()));
    }

    /**
     * Takes every batch and returns the first and last record of each of their runs, oldest first: the first record
     * of each partition among them is where to seek back.
     */
    List<ConsumerRecord<K, V>> takeAllRunBounds() {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        batches.forEach(batch -> records.addAll(batch.runBounds()));
        batches.clear();
        return records;
    }

    /** Forgets the records of partitions this client no longer owns: it can no longer commit them. */
    void forget(Collection<TopicPartition> partitions) {
        if (batches.isEmpty()) {
            return;
        }
        List<Unconfirmed<K, V>> kept = new ArrayList<>(batches.size());
        for (Unconfirmed<K, V> batch : batches) {
            List<ConsumerRecord<K, V>> rest = batch.runBounds().stream()
                    .filter(r -> !partitions.contains(new TopicPartition(r.topic(), r.partition()))).toList();
            if (!rest.isEmpty()) {
                kept.add(new Unconfirmed<>(rest, batch.starts()));
            }
        }
        batches.clear();
        batches.addAll(kept);
    }
}
