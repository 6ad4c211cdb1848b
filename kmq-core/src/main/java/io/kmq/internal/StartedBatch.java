package io.kmq.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A polled batch whose START markers are sent and possibly not yet acknowledged.
 *
 * @param records   in partition order and offset order within a partition, as polled
 * @param runs      the runs of consecutive offsets of {@code records} ({@link MarkerRun#of})
 * @param starts    the START markers sent, to await
 * @param startedAt when the START markers were sent: the records' timeout counts from then at the latest
 */
public record StartedBatch<K, V>(List<ConsumerRecord<K, V>> records, List<MarkerRun> runs,
                                 MarkerSender.Pending starts, Instant startedAt) {

    /**
     * The last record of each run, in order: all {@code BatchConsumer.addCommittable} needs (the last record of each
     * partition), without walking every record.
     */
    public List<ConsumerRecord<K, V>> lastOfEachRun() {
        List<ConsumerRecord<K, V>> lasts = new ArrayList<>(runs.size());
        int index = -1;
        for (MarkerRun run : runs) {
            index += run.count();
            lasts.add(records.get(index));
        }
        return lasts;
    }

    /**
     * Gives the first and the last record of each run, in order, to {@code action} (the same record twice for a run
     * of one): the oldest and newest offsets of each partition, for a commit or a seek back, without keeping every
     * record.
     */
    public void forEachRunBounds(BiConsumer<ConsumerRecord<K, V>, ConsumerRecord<K, V>> action) {
        int first = 0;
        for (MarkerRun run : runs) {
            int last = first + run.count() - 1;
            action.accept(records.get(first), records.get(last));
            first = last + 1;
        }
    }

    /** Gives the last record of each run, in order, to {@code action}: {@link #lastOfEachRun} without a list. */
    public void forEachLastOfRun(Consumer<ConsumerRecord<K, V>> action) {
        int index = -1;
        for (MarkerRun run : runs) {
            index += run.count();
            action.accept(records.get(index));
        }
    }

    /** The records of these partitions. */
    public List<ConsumerRecord<K, V>> recordsOf(Collection<TopicPartition> partitions) {
        return records.stream().filter(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())))
                .toList();
    }

    /** This batch without the records of {@code partitions}; the START markers to await stay the same. */
    public StartedBatch<K, V> without(Collection<TopicPartition> partitions) {
        List<ConsumerRecord<K, V>> kept = records.stream()
                .filter(r -> !partitions.contains(new TopicPartition(r.topic(), r.partition()))).toList();
        return new StartedBatch<>(kept, MarkerRun.of(kept), starts, startedAt);
    }
}
