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
import java.util.Optional;
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
    /**
     * Poll timeout while START markers are in flight (of the oldest prefetched batch, or of records handed out at
     * once): how soon their acknowledgment is noticed.
     */
    private static final Duration WHILE_STARTING = Duration.ofMillis(1);

    private final String topic;
    private final int maxInFlight;
    private final int prefetchBatches;
    /** kmq.start.await=handout: a batch waits for its START markers before it is handed out. */
    private final boolean awaitStartBeforeHandout;
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
    /** kmq.start.await=commit: the batches handed out whose offsets wait for their START markers. */
    private final UnconfirmedBatches<K, V> unconfirmed = new UnconfirmedBatches<>();
    private final LongAdder polled = new LongAdder();

    /**
     * A pipeline polling {@code consumer} (which it tells about revoked partitions), writing through {@code markers},
     * registering handed-out records in {@code inFlight}.
     */
    public BatchPipeline(KmqConfig config, Clock clock, BatchConsumer<K, V> consumer, MarkerSender markers,
                         InFlightRecords inFlight) {
        this.topic = config.topic();
        this.maxInFlight = config.maxInFlight();
        this.prefetchBatches = config.prefetchBatches();
        this.awaitStartBeforeHandout = config.awaitStartBeforeHandout();
        this.maxPollRecords = ClientProperties.maxPollRecords(ClientProperties.consumer(config));
        this.timeout = config.messageTimeout();
        this.staleAfter = timeout.dividedBy(STALE_FRACTION);
        this.clock = clock;
        this.consumer = consumer;
        this.markers = markers;
        this.starter = new BatchStarter<>(markers, config.markerRanges(), timeout, clock);
        this.inFlight = inFlight;
        consumer.onPartitionsGone(this::partitionsGone);
    }

    /** How many records were polled (handed out or prefetched). */
    public long polled() {
        return polled.sum();
    }

    /** How many records' START markers the broker acknowledged. */
    public long started() {
        return starter.acknowledgedRecords();
    }

    /**
     * Before the client closes, while its partitions are still owned: gives every prefetched record back (see
     * {@link #giveBack}), and waits for the START markers of the records handed out so that the offsets of those now
     * durable are committed by the consumer's close.
     */
    public void beforeClose() {
        List<ConsumerRecord<K, V>> records = starter.takeAllRecords();
        if (!records.isEmpty()) {
            giveBack(records);
            log.info("closing with {} prefetched record(s) never handed out: given back to the group", records.size());
        }
        awaitUnconfirmed();
    }

    private void partitionsGone(Collection<TopicPartition> partitions, boolean revoked) {
        if (revoked) {
            awaitUnconfirmed(); // so that the commit of the revoked partitions covers what is durable by now
        }
        unconfirmed.forget(partitions);
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
        if (!awaitStartBeforeHandout) {
            return nextAtOnce(pollTimeout);
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
     * kmq.start.await=commit: hands the polled records out at once, their START markers sent; their offsets are
     * committed by a later call, once those markers are acknowledged ({@link #confirmDurable}). If one failed, the
     * records handed out from its batch on are sought back, to be delivered again, and this call throws.
     */
    private List<ConsumerRecord<K, V>> nextAtOnce(Duration pollTimeout) {
        confirmDurable();
        throwIfOldestStartFailed();
        consumer.commitIfDue(); // what is durable, before this call may wait for records
        int room = maxInFlight - inFlight.size();
        if (room <= 0) {
            consumer.holdBack(inFlight, maxInFlight, pollTimeout);
            return List.of();
        }
        List<ConsumerRecord<K, V>> records = pollConfirming(pollTimeout, room);
        if (records.isEmpty()) {
            return List.of();
        }
        polled.add(records.size());
        StartedBatch<K, V> batch = starter.start(records);
        unconfirmed.add(batch);
        register(batch, batch.startedAt()); // handed out as its START markers leave: the same instant, one read less
        consumer.commitIfDue(batch.startedAt()); // what pollConfirming found durable
        return Collections.unmodifiableList(records);
    }

    /**
     * Polls for up to {@code timeout}; while START markers of handed-out records are in flight, in slices that end
     * when the next commit may be sent and then of 1 ms, so that their offsets are committed as soon as they are
     * durable and a commit is allowed rather than at the next call: a crash then leaves fewer records to be polled
     * again as well as redelivered. (Slices of 1 ms throughout would wake the thread up to 1,000 times a second for
     * commits the commit interval holds back anyway.)
     */
    private List<ConsumerRecord<K, V>> pollConfirming(Duration timeout, int room) {
        long remaining = timeout.toNanos();
        long deadline = System.nanoTime() + remaining;
        while (true) {
            long slice = unconfirmed.isEmpty() ? remaining : Math.min(remaining,
                    Math.max(WHILE_STARTING.toNanos(), consumer.untilCommitAllowed().toNanos()));
            List<ConsumerRecord<K, V>> records = consumer.poll(Duration.ofNanos(slice), room);
            if (!records.isEmpty()) {
                return records;
            }
            if (!unconfirmed.isEmpty()) {
                confirmDurable();
                throwIfOldestStartFailed();
                consumer.commitIfDue();
            }
            remaining = Math.max(0, deadline - System.nanoTime());
            if (remaining == 0) {
                return List.of();
            }
        }
    }

    /**
     * If a START marker of the oldest handed-out batch not yet confirmed failed: seeks back to it (the records handed
     * out from that batch on will be polled and delivered again; none of them is committed) and throws.
     */
    private void throwIfOldestStartFailed() {
        MarkerSender.Pending oldest = unconfirmed.oldestStarts();
        if (oldest == null || !oldest.isDone()) {
            return;
        }
        Optional<MarkerSender.Failure> failed = markers.await(oldest).firstFailure(); // done: at once
        if (failed.isEmpty()) {
            confirmDurable(); // acknowledged since confirmDurable looked
            return;
        }
        consumer.rewind(unconfirmed.takeAllFirsts());
        consumer.commitIfDue(); // the durable batches before it
        MarkerSender.Failure failure = failed.get();
        throw new KmqException("START marker not acknowledged by the broker; this record and those handed out after "
                + "it are not committed and will be delivered again", topic, failure.key().partition(),
                failure.key().offset(), failure.cause());
    }

    /**
     * Adds to the next commit the offsets of the handed-out batches whose START markers are all acknowledged, oldest
     * first, up to the first that is not (in flight, or failed): a committed offset never passes a record without a
     * durable START marker.
     */
    private void confirmDurable() {
        for (Collection<ConsumerRecord<K, V>> lasts = unconfirmed.takeOldestDurable(); lasts != null;
                lasts = unconfirmed.takeOldestDurable()) {
            consumer.addCommittable(lasts);
        }
    }

    /** Waits for the START markers of every handed-out batch (bounded by the producer's timeouts), then confirms. */
    private void awaitUnconfirmed() {
        unconfirmed.awaitAll(markers);
        confirmDurable();
    }

    /**
     * Commits the prefetched batches whose START markers are durable, oldest first, before they are handed out: a
     * crash then leaves them to the tracker instead of having them polled again as well.
     */
    private void commitDurable() {
        for (StartedBatch<K, V> batch : starter.takeDurable()) {
            batch.forEachLastOfRun(consumer::addCommittable); // sent by the hand-out below, with its own
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
        if (outcome.firstFailure().isPresent()) {
            consumer.rewind(withHeld(List.of(batch)));
            MarkerSender.Failure failure = outcome.firstFailure().get();
            throw new KmqException("START marker not acknowledged by the broker; the batch is not handed out and will "
                    + "be polled again", topic, failure.key().partition(), failure.key().offset(), failure.cause());
        }
        List<StartedBatch<K, V>> batches = new ArrayList<>(List.of(batch));
        List<ConsumerRecord<K, V>> toCommit = new ArrayList<>(committed ? List.of() : batch.lastOfEachRun());
        joinReady(batches, toCommit);
        commit(toCommit, () -> withHeld(batches));
        Instant now = clock.instant();
        List<ConsumerRecord<K, V>> records = batches.size() == 1 ? batch.records() : new ArrayList<>();
        for (StartedBatch<K, V> handed : batches) {
            register(handed, now);
            if (batches.size() > 1) {
                records.addAll(handed.records());
            }
        }
        return Collections.unmodifiableList(records);
    }

    /** Registers the records of a batch handed out {@code now} as in flight, due when its timeout passes. */
    private void register(StartedBatch<K, V> batch, Instant now) {
        Instant expires = batch.startedAt().plus(timeout);
        inFlight.addAll(batch.runs(), now, expires);
    }

    /**
     * Takes the prefetched batches behind the one being handed out whose START markers are already acknowledged (and
     * not stale), while the hand-out stays within {@code max.poll.records}: when the application is slower than the
     * polls, the small batches polled meanwhile leave together instead of queueing one per call. Adds them to
     * {@code batches}, and the last record of each of their runs to {@code toCommit} unless committed already.
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
            batches.add(next);
            size += next.records().size();
            if (!committed) {
                toCommit.addAll(next.lastOfEachRun());
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
