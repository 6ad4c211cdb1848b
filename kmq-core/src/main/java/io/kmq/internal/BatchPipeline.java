package io.kmq.internal;

import io.kmq.KmqException;
import io.kmq.KmqConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling side of {@code KmqClient.nextBatch}: polls, sends START markers, keeps the pipeline of prefetched
 * batches filled, and hands out the oldest batch once its START markers are durable, after sending its commit and
 * registering it as in flight (the protocol and pipelining described on {@code KmqClient}). Confined to the polling
 * thread, like the consumer.
 *
 * <p>Invariant: every polled record is either handed out, held in a prefetched batch, or sought back (a failed
 * hand-out seeks back the batch and every prefetched one); its offset is committed only once its START marker, and
 * those of every record polled before it, are durable (possibly before it is handed out, see {@link BatchStarter}),
 * and committed back to it if it is given up without being handed out.
 */
public final class BatchPipeline<K, V> {

    private static final Logger log = LoggerFactory.getLogger(BatchPipeline.class);

    /** A prefetched batch older than the message timeout divided by this gets fresh START markers at hand-out. */
    private static final int STALE_FRACTION = 10;
    /** Poll timeout while the oldest batch's START markers are in flight: how soon their acknowledgment is noticed. */
    private static final Duration WHILE_STARTING = Duration.ofMillis(1);

    private final String topic;
    private final int maxInFlight;
    private final int prefetchBatches;
    /** The most records one hand-out joins from several prefetched batches: the consumer's max.poll.records. */
    private final int maxPollRecords;
    private final Duration timeout;
    /** How long a prefetched batch may wait before its START markers are sent again at hand-out. */
    private final Duration staleAfter;
    private final Clock clock;
    private final BatchConsumer<K, V> consumer;
    private final MarkerSender markers;
    private final BatchStarter<K, V> starter;
    private final InFlightRecords inFlight;
    /** Null when acknowledgments are not coalesced. */
    private final AckCoalescer acks;
    private final LongAdder polled = new LongAdder();
    private final LongAdder started = new LongAdder();

    /**
     * A pipeline polling {@code consumer} (which it tells about revoked partitions), writing through {@code markers},
     * registering handed-out records in {@code inFlight} and, unless null, {@code acks}.
     */
    public BatchPipeline(KmqConfig config, Clock clock, BatchConsumer<K, V> consumer, MarkerSender markers,
                         InFlightRecords inFlight, AckCoalescer acks) {
        this.topic = config.topic();
        this.maxInFlight = config.maxInFlight();
        this.prefetchBatches = config.prefetchBatches();
        this.maxPollRecords = ClientProperties.maxPollRecords(ClientProperties.consumer(config));
        this.timeout = config.messageTimeout();
        this.staleAfter = timeout.dividedBy(STALE_FRACTION);
        this.clock = clock;
        this.consumer = consumer;
        this.markers = markers;
        this.starter = new BatchStarter<>(markers, config.markerRanges(), timeout, clock);
        this.inFlight = inFlight;
        this.acks = acks;
        consumer.onPartitionsGone(this::partitionsGone);
    }

    /** How many records were polled (handed out or prefetched). */
    public long polled() {
        return polled.sum();
    }

    /** How many records' START markers the broker acknowledged. */
    public long started() {
        return started.sum();
    }

    /** Gives every prefetched record back (on close, while the partitions are still owned); see {@link #giveBack}. */
    public void dropPrefetched() {
        List<ConsumerRecord<K, V>> records = starter.takeAllRecords();
        if (!records.isEmpty()) {
            giveBack(records);
            log.info("closing with {} prefetched record(s) never handed out: given back to the group", records.size());
        }
    }

    private void partitionsGone(Collection<TopicPartition> partitions, boolean revoked) {
        List<ConsumerRecord<K, V>> dropped = starter.drop(partitions);
        if (dropped.isEmpty()) {
            return;
        }
        if (revoked) {
            giveBack(dropped);
        }
        log.info("dropped {} prefetched record(s) of {} partitions {} never handed out{}", dropped.size(),
                revoked ? "revoked" : "lost", partitions, revoked ? ": given back to the group"
                        : ": polled again by the next owner, or redelivered after the timeout if already committed");
    }

    /**
     * Gives prefetched records never handed out back to the group: commits their partitions back to them, and only
     * then writes their END markers (so that the tracker forgets them and the next owner polls them again). If the
     * commit fails no END is written, so the tracker still redelivers them: duplicates at worst, nothing lost.
     */
    private void giveBack(List<ConsumerRecord<K, V>> records) {
        if (consumer.commitBackTo(records)) {
            starter.end(records);
        }
    }

    /**
     * The next batch, in partition order and offset order within a partition; empty when there is none or no room.
     *
     * @throws KmqException naming the first record whose START marker failed, or the batch whose offset commit the
     *                      consumer refused at once; the batch and the prefetched ones are sought back
     */
    public List<ConsumerRecord<K, V>> next(Duration pollTimeout) {
        List<ConsumerRecord<K, V>> batch = nextOrNone(pollTimeout);
        if (batch.isEmpty()) {
            consumer.commitIfDue(); // a hand-out sends the commit itself, including what is pending
        }
        return batch;
    }

    private List<ConsumerRecord<K, V>> nextOrNone(Duration pollTimeout) {
        Instant now = clock.instant();
        inFlight.expire(now);
        if (acks != null) {
            acks.expire(now);
        }
        // deep prefetching only pays off while the application is faster than the START round trip; when it is slower,
        // one batch ahead hides the round trip, and more would only spend their timeout waiting to be handed out
        int depth = starter.newestPending() ? prefetchBatches : Math.min(1, prefetchBatches);
        // only this thread adds, so room can only grow meanwhile
        int room = maxInFlight - inFlight.size() - starter.heldCount();
        if (starter.heldBatches() == 0) {
            if (room <= 0) {
                consumer.holdBack(inFlight, maxInFlight, pollTimeout);
                return List.of();
            }
            List<ConsumerRecord<K, V>> records = consumer.poll(pollTimeout, room);
            if (records.isEmpty()) {
                return List.of();
            }
            room -= start(records);
        }
        // top up the pipeline without waiting; a poll may revoke partitions, and the held batches then lose their
        // records (see BatchStarter)
        while (room > 0 && starter.heldBatches() > 0 && starter.heldBatches() <= depth) {
            List<ConsumerRecord<K, V>> records = consumer.poll(Duration.ZERO, room);
            if (records.isEmpty()) {
                break;
            }
            room -= start(records);
        }
        // while the oldest batch's START markers are in flight, records arriving meanwhile get theirs sent at once
        for (StartedBatch<K, V> oldest = starter.peek(); oldest != null && !oldest.starts().isDone() && room > 0
                && starter.heldBatches() <= prefetchBatches; oldest = starter.peek()) {
            List<ConsumerRecord<K, V>> records = consumer.poll(WHILE_STARTING, room);
            if (!records.isEmpty()) {
                room -= start(records);
            }
        }
        commitDurable();
        boolean committed = starter.oldestCommitted();
        StartedBatch<K, V> current = starter.take();
        if (current == null) {
            return List.of();
        }
        if (Duration.between(current.startedAt(), clock.instant()).compareTo(staleAfter) > 0) {
            current = starter.restart(current); // prefetched long ago (a slow application): a fresh timeout
        }
        return handOut(current, committed);
    }

    /**
     * Commits the prefetched batches whose START markers are durable, oldest first, before they are handed out: a
     * crash then leaves them to the tracker instead of having them polled again as well.
     */
    private void commitDurable() {
        for (StartedBatch<K, V> batch : starter.takeDurable()) {
            consumer.addCommittable(batch.records()); // sent by the hand-out below, with its own
        }
    }

    /** Sends the START markers of polled records and holds them as a prefetched batch; returns how many. */
    private int start(List<ConsumerRecord<K, V>> records) {
        polled.add(records.size());
        starter.hold(starter.start(records));
        return records.size();
    }

    /**
     * Awaits the batch's START markers, joins to it the prefetched batches behind it that are ready too (see
     * {@link #joinReady}), commits what is not committed already, and registers them as in flight; see the protocol
     * above.
     */
    private List<ConsumerRecord<K, V>> handOut(StartedBatch<K, V> batch, boolean committed) {
        MarkerSender.Outcome outcome = markers.await(batch.starts());
        started.add(outcome.acknowledged());
        if (outcome.firstFailure().isPresent()) {
            consumer.rewind(withHeld(List.of(batch)));
            MarkerSender.Failure failure = outcome.firstFailure().get();
            throw new KmqException("START marker not acknowledged by the broker; the batch is not handed out and will "
                    + "be polled again", topic, failure.key().partition(), failure.key().offset(), failure.cause());
        }
        List<StartedBatch<K, V>> batches = new ArrayList<>(List.of(batch));
        List<ConsumerRecord<K, V>> toCommit = new ArrayList<>(committed ? List.of() : batch.records());
        joinReady(batches, toCommit);
        commit(toCommit, () -> withHeld(batches));
        Instant now = clock.instant();
        List<ConsumerRecord<K, V>> records = batches.size() == 1 ? batch.records() : new ArrayList<>();
        for (StartedBatch<K, V> handed : batches) {
            Instant expires = handed.startedAt().plus(timeout);
            inFlight.addAll(handed.keys(), now, expires);
            if (acks != null) {
                acks.register(handed.runs(), expires);
            }
            if (batches.size() > 1) {
                records.addAll(handed.records());
            }
        }
        return Collections.unmodifiableList(records);
    }

    /**
     * Takes the prefetched batches behind the one being handed out whose START markers are already acknowledged (and
     * not stale), while the hand-out stays within {@code max.poll.records}: when the application is slower than the
     * polls, the small batches polled meanwhile leave together instead of queueing one per call. Adds them to
     * {@code batches}, and their records to {@code toCommit} unless committed already.
     */
    private void joinReady(List<StartedBatch<K, V>> batches, List<ConsumerRecord<K, V>> toCommit) {
        int size = batches.get(0).records().size();
        for (StartedBatch<K, V> next = starter.peek(); next != null; next = starter.peek()) {
            boolean ready = next.starts().succeeded()
                    && Duration.between(next.startedAt(), clock.instant()).compareTo(staleAfter) <= 0;
            if (!ready || size + next.records().size() > maxPollRecords) {
                return;
            }
            boolean committed = starter.oldestCommitted();
            starter.take();
            started.add(next.records().size());
            batches.add(next);
            size += next.records().size();
            if (!committed) {
                toCommit.addAll(next.records());
            }
        }
    }

    /**
     * The records of {@code batches} and then of every prefetched batch, which are forgotten: what a failed hand-out
     * seeks back (the first record of each partition is the oldest).
     */
    private List<ConsumerRecord<K, V>> withHeld(List<StartedBatch<K, V>> batches) {
        List<ConsumerRecord<K, V>> all = new ArrayList<>();
        batches.forEach(batch -> all.addAll(batch.records()));
        all.addAll(starter.takeAllRecords());
        return all;
    }

    /**
     * Sends the commit of the batch being handed out (its {@code records} unless committed already, with every offset
     * pending), unless one was sent less than the commit interval ago; if the consumer refuses it at once, seeks back
     * {@code onFailure} (the batch and the prefetched ones) and throws.
     */
    private void commit(List<ConsumerRecord<K, V>> records, Supplier<List<ConsumerRecord<K, V>>> onFailure) {
        try {
            consumer.commit(records);
        } catch (WakeupException | InterruptException e) {
            List<ConsumerRecord<K, V>> rewound = onFailure.get();
            consumer.rewind(rewound);
            throw e;
        } catch (KafkaException e) {
            List<ConsumerRecord<K, V>> rewound = onFailure.get();
            consumer.rewind(rewound);
            ConsumerRecord<K, V> first = rewound.get(0);
            throw new KmqException("offset commit of the batch refused by the consumer (its START markers are durable, "
                    + "nothing is lost); the batch will be polled again", first.topic(), first.partition(),
                    first.offset(), e);
        }
    }
}
