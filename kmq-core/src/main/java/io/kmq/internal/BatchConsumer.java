package io.kmq.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of {@code KmqClient}: polls bounded batches, pauses for backpressure, commits batches and seeks
 * failed ones back. Confined to the polling thread, like the consumer it wraps (except {@link #wakeup()}); commit
 * callbacks run on that thread too, inside the consumer's poll, commit and close.
 *
 * <p>Invariant: every record polled from Kafka is either returned in a batch or sought back, so it is polled again;
 * none is skipped.
 *
 * <p>Offsets are committed asynchronously, so that a batch waits for one round trip (its START markers), not two, and
 * at most once per commit interval, so that a fast consumer does not send one commit request per batch.
 * Invariant: {@link #unconfirmed} and {@link #toCommit} hold, per partition, the latest offset to commit and not yet
 * confirmed ({@code toCommit}, if it has the partition, the newer one). Each commit sends all of it (a failed commit
 * is retried by the next), and it is committed synchronously when partitions are revoked and on close. A commit that
 * never succeeds only means the records after the group's committed offset are polled again (duplicates, never
 * loss): every offset sent was sent after its batch's START markers were durable.
 */
public final class BatchConsumer<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchConsumer.class);

    private final Consumer<K, V> consumer;
    private final Clock clock;
    private final Duration commitInterval;
    private final Map<TopicPartition, OffsetAndMetadata> unconfirmed = new HashMap<>();
    /**
     * Per partition number (of the subscribed topic), the last record whose offset is to commit and not yet moved to
     * {@link #unconfirmed}: adding a batch only stores a reference, and the offsets are made once per commit.
     */
    private final Map<Integer, ConsumerRecord<K, V>> toCommit = new HashMap<>();
    /** When the last asynchronous commit was sent; null before the first. */
    private Instant lastCommit;
    /** Whether offsets were added since the last commit was sent. */
    private boolean commitDue;
    /** Whether the assignment is paused for backpressure. */
    private boolean paused;
    private PartitionsGone onGone = (partitions, revoked) -> { };

    /** Told about partitions this consumer gives up, inside the consumer's rebalance callbacks. */
    @FunctionalInterface
    public interface PartitionsGone {
        /**
         * @param revoked true when revoked (still owned until the callback returns), false when lost (another member
         *                may own them already)
         */
        void gone(Collection<TopicPartition> partitions, boolean revoked);
    }

    /** Wraps {@code consumer}, which this object then owns and closes; commits every batch at once. */
    public BatchConsumer(Consumer<K, V> consumer) {
        this(consumer, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * Wraps {@code consumer}, which this object then owns and closes.
     *
     * @param commitInterval the least time between two asynchronous commits ({@code kmq.commit.interval.ms}); offsets
     *                       of batches in between are sent with the next commit
     */
    public BatchConsumer(Consumer<K, V> consumer, Clock clock, Duration commitInterval) {
        this.consumer = consumer;
        this.clock = clock;
        this.commitInterval = commitInterval;
    }

    /** Sets what to tell about revoked and lost partitions; call before {@link #subscribe}. */
    public void onPartitionsGone(PartitionsGone listener) {
        this.onGone = listener;
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
            if (take == ofPartition.size()) {
                batch.addAll(ofPartition); // the usual case: no sublist view per partition and poll
            } else {
                batch.addAll(ofPartition.subList(0, take));
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

    /**
     * Commits the offsets after the batch (last offset + 1 per partition) asynchronously, together with any earlier
     * offsets not yet confirmed, unless the last commit was sent less than the commit interval ago (then
     * {@link #commitIfDue()} sends it later); returns without waiting for the broker.
     */
    public void commit(List<ConsumerRecord<K, V>> batch) {
        addCommittable(batch);
        commitIfDue();
    }

    /**
     * Adds the offsets after the batch (last offset + 1 per partition) to those the next {@link #commitIfDue()} or
     * {@link #commit} sends; sends nothing itself. Only the last record of each partition matters: any subset of the
     * batch holding those (such as the last record of each run) gives the same offsets.
     */
    public void addCommittable(Collection<ConsumerRecord<K, V>> batch) {
        for (ConsumerRecord<K, V> record : batch) { // offset order within a partition: the last one wins
            addCommittable(record);
        }
    }

    /**
     * Adds the offset after {@code record} to those the next {@link #commitIfDue()} or {@link #commit} sends, in place
     * of any added before for its partition (records are added in offset order within a partition).
     */
    public void addCommittable(ConsumerRecord<K, V> record) {
        toCommit.put(record.partition(), record);
        commitDue = true;
    }

    /** Moves the offsets of {@link #toCommit} into {@link #unconfirmed}, before anything reads or sends it. */
    private void takeToCommit() {
        if (toCommit.isEmpty()) {
            return;
        }
        for (ConsumerRecord<K, V> last : toCommit.values()) {
            unconfirmed.put(new TopicPartition(last.topic(), last.partition()),
                    new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
        }
        toCommit.clear();
    }

    /**
     * How long until {@link #commitIfDue()} may send a commit: zero before the first commit and once the commit
     * interval has passed since the last one.
     */
    public Duration untilCommitAllowed() {
        if (lastCommit == null) {
            return Duration.ZERO;
        }
        Duration left = commitInterval.minus(Duration.between(lastCommit, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Sends the commit of the offsets not yet confirmed if any were added and the commit interval has passed. */
    public void commitIfDue() {
        if (commitDue) {
            commitIfDue(clock.instant());
        }
    }

    /** {@link #commitIfDue()} with the time read by the caller just before (one clock read less per poll). */
    public void commitIfDue(Instant now) {
        if (!commitDue) {
            return;
        }
        if (lastCommit != null && commitInterval.compareTo(Duration.between(lastCommit, now)) > 0) {
            return;
        }
        takeToCommit();
        if (unconfirmed.isEmpty()) {
            commitDue = false; // what was added belonged to partitions given up since
            return;
        }
        lastCommit = now;
        commitDue = false;
        consumer.commitAsync(Map.copyOf(unconfirmed), this::onCommitted);
    }

    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        if (failure == null) {
            offsets.forEach(unconfirmed::remove); // remove(key, value): an offset sent since stays unconfirmed
            return;
        }
        commitDue = true;
        log.warn("offset commit of {} failed; retried with the next batch and on close (until then a restart "
                + "or rebalance would redeliver these records, nothing is lost): {}", offsets, failure.toString());
    }

    /**
     * Commits, synchronously, each partition of {@code records} back to its first record there (earlier than offsets
     * committed or about to be): for records committed before they were handed out and now given back, so that the
     * partition's next owner polls them again. Call it while the partitions are still owned (on revocation or close).
     *
     * @return whether the commit succeeded; when not, it is logged and the group's offset may still be past them
     */
    public boolean commitBackTo(Collection<ConsumerRecord<K, V>> records) {
        Map<TopicPartition, OffsetAndMetadata> firsts = new LinkedHashMap<>();
        firstOfEachPartition(records).forEach((partition, first) -> firsts.put(partition,
                new OffsetAndMetadata(first.offset(), first.leaderEpoch(), "")));
        takeToCommit();
        unconfirmed.putAll(firsts);
        try {
            commitUnconfirmed(firsts.keySet());
            return true;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("offset commit back to the first record not handed out failed for {}: {}", firsts,
                    e.toString());
            return false;
        }
    }

    /** Commits the unconfirmed offsets of {@code partitions} synchronously, and forgets them even if that fails. */
    private void commitUnconfirmed(Collection<TopicPartition> partitions) {
        takeToCommit();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(unconfirmed);
        offsets.keySet().retainAll(partitions);
        unconfirmed.keySet().removeAll(partitions);
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    /** Seeks each partition of {@code records} that is still assigned back to its first record there. */
    public void rewind(Collection<ConsumerRecord<K, V>> records) {
        Set<TopicPartition> assigned = consumer.assignment();
        firstOfEachPartition(records).forEach((partition, first) -> {
            if (assigned.contains(partition)) {
                seekTo(first);
            }
        });
    }

    /** The record with the lowest offset of each partition among {@code records}, partitions in order of appearance. */
    private static <K, V> Map<TopicPartition, ConsumerRecord<K, V>> firstOfEachPartition(
            Collection<ConsumerRecord<K, V>> records) {
        Map<TopicPartition, ConsumerRecord<K, V>> firsts = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> record : records) {
            firsts.merge(new TopicPartition(record.topic(), record.partition()), record,
                    (a, b) -> a.offset() <= b.offset() ? a : b);
        }
        return firsts;
    }

    /** Makes a blocking or the next poll or commit throw {@code WakeupException}; safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /**
     * Commits the unconfirmed offsets synchronously, then closes the consumer (it leaves the group), even if the
     * commit failed; throws the first failure with the other suppressed.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            takeToCommit();
            commitUnconfirmed(Set.copyOf(unconfirmed.keySet()));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void seekTo(ConsumerRecord<K, V> record) {
        consumer.seek(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset(), record.leaderEpoch(), ""));
    }

    /** Keeps partitions assigned while holding back paused, so that they return no records meanwhile. */
    private final class PauseWhileHoldingBack implements ConsumerRebalanceListener {
        /** Commits what is unconfirmed synchronously, so that the next owner does not poll it again. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            onGone.gone(partitions, true);
            try {
                commitUnconfirmed(partitions);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                log.warn("offset commit of revoked partitions {} failed; their next owner will poll the records "
                        + "after the last committed offset again (duplicates, nothing is lost): {}", partitions,
                        e.toString());
            }
        }

        /** Lost partitions may have another owner already: their offsets can no longer be committed. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onGone.gone(partitions, false);
            takeToCommit();
            unconfirmed.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }
    }
}
