package io.kmq.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * With {@code kmq.start.await=commit}: the batches handed out whose START markers are not all known to be
 * acknowledged yet, oldest first. Their offsets may be committed only in that order, and only up to the first batch
 * whose START markers are not all durable. Confined to the polling thread.
 *
 * <p>Only the first and the last record of each partition are kept: all a commit (the last) and a seek back (the
 * first) need. A batch whose START markers are all among those of the newest entry (with START coalescing, the batches
 * polled within one {@code kmq.ack.flush.interval.ms} grow the same held-open markers) joins that entry instead of
 * adding one: it becomes durable with them anyway. Holding every batch, or every record, until the held-open markers
 * were sent kept tens of thousands of processed records reachable when draining a backlog, and had the commit read
 * hundreds of batches that had long left the CPU caches.
 */
final class UnconfirmedBatches<K, V> {

    /** Batches handed out one after the other that await the same START markers. */
    private static final class Unconfirmed<K, V> {
        final MarkerSender.Pending starts;
        /** Per partition, its oldest record among these batches, in the order the partitions came. */
        final Map<Integer, ConsumerRecord<K, V>> firsts = new LinkedHashMap<>();
        /** Per partition, its newest record among these batches. */
        final Map<Integer, ConsumerRecord<K, V>> lasts = new HashMap<>();

        Unconfirmed(MarkerSender.Pending starts) {
            this.starts = starts;
        }

        /** Adds a run of a batch polled after those already here, by its first and last record. */
        void addRun(ConsumerRecord<K, V> first, ConsumerRecord<K, V> last) {
            firsts.putIfAbsent(first.partition(), first);
            lasts.put(last.partition(), last);
        }
    }

    private final Deque<Unconfirmed<K, V>> batches = new ArrayDeque<>();

    /** Adds a batch just handed out, as the newest. */
    void add(StartedBatch<K, V> batch) {
        Unconfirmed<K, V> newest = batches.peekLast();
        if (newest == null || !batch.starts().awaitsOnlyMarkersOf(newest.starts)) {
            newest = new Unconfirmed<>(batch.starts());
            batches.addLast(newest);
        }
        batch.forEachRunBounds(newest::addRun);
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** The START markers of the oldest batch, or null if there is none. */
    MarkerSender.Pending oldestStarts() {
        Unconfirmed<K, V> oldest = batches.peekFirst();
        return oldest == null ? null : oldest.starts;
    }

    /**
     * Takes the oldest batches if their START markers are all acknowledged, and returns the last record of each of
     * their partitions; else returns null (none, in flight or failed). Called until null, it takes the batches whose
     * offsets the caller may commit, oldest first.
     */
    Collection<ConsumerRecord<K, V>> takeOldestDurable() {
        Unconfirmed<K, V> oldest = batches.peekFirst();
        return oldest != null && oldest.starts.succeeded() ? batches.pollFirst().lasts.values() : null;
    }

    /** Waits until the START markers of every batch are acknowledged or failed (bounded by the producer's timeouts). */
    void awaitAll(MarkerSender markers) {
        batches.forEach(batch -> markers.await(batch.starts));
    }

    /**
     * Takes every batch and returns the first record of each of their partitions, oldest batches first: where to seek
     * back (the first record of each partition among them).
     */
    List<ConsumerRecord<K, V>> takeAllFirsts() {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        batches.forEach(batch -> records.addAll(batch.firsts.values()));
        batches.clear();
        return records;
    }

    /** Forgets the records of partitions this client no longer owns: it can no longer commit them. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            for (Unconfirmed<K, V> batch : batches) {
                batch.firsts.remove(partition.partition());
                batch.lasts.remove(partition.partition());
            }
        }
        batches.removeIf(batch -> batch.firsts.isEmpty());
    }
}
