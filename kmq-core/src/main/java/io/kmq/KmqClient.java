package io.kmq;

import io.kmq.internal.AckCoalescer;
import io.kmq.internal.AckFlusher;
import io.kmq.internal.BatchConsumer;
import io.kmq.internal.BatchPipeline;
import io.kmq.internal.ClientProperties;
import io.kmq.internal.InFlightRecords;
import io.kmq.internal.InFlightRecords.Outcome;
import io.kmq.internal.InFlightRecords.Settlement;
import io.kmq.internal.KafkaClientFactory;
import io.kmq.internal.MarkerSender;
import io.kmq.internal.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a Kafka topic with per-message acknowledgment: each record is acknowledged on its own with
 * {@link #processed}, {@link #release}, {@link #reject} or kept longer with {@link #extend}, instead of by committing
 * an offset. The redelivery tracker (module kmq-redelivery) redelivers records that are not acknowledged in time.
 *
 * <p><b>The marker protocol</b> (as in the original softwaremill/kmq), for every batch:
 * <ol>
 *   <li>poll records from the message topic {@code kmq.topic};</li>
 *   <li>send START markers to the markers topic, to the markers partition equal to the records' partition: with
 *       {@code kmq.marker.ranges} (the default) one START_RANGE per run of consecutive offsets of a partition (key: the
 *       partition and first offset; value: the message timeout and the count), else one START per record;</li>
 *   <li>hand the records to the application at once (with {@code kmq.start.await=commit}, the default; with
 *       {@code handout}, as the original kmq, only once the broker has acknowledged every START marker of the batch,
 *       {@code acks=all});</li>
 *   <li>once the broker has acknowledged the START markers of the batch and of every batch polled before it, send
 *       the commit of its offsets (last offset + 1 per partition), asynchronously, from a later call: at most once per
 *       {@code kmq.commit.interval.ms} (default 100 ms; the offsets of batches in between go with a later call's
 *       commit); a commit that fails is retried by a later call; when partitions are revoked and on {@link #close}
 *       the client waits for the START markers still in flight and commits what is durable synchronously;</li>
 *   <li>for each processed record, write an END marker ({@link #processed}); with {@code kmq.marker.ranges} the
 *       acknowledgments of a run are coalesced into END_RANGE markers, written as soon as the whole run is settled
 *       and otherwise within {@code kmq.ack.flush.interval.ms} (default 20 ms) and on {@link #close}. RELEASE, REJECT
 *       and EXTEND markers end or prolong processing likewise, one per record, at once.</li>
 * </ol>
 * The tracker reads the markers topic and redelivers a record whose START has no END within the timeout, counted
 * from the START marker's broker timestamp. A range marker means exactly one marker of its kind per covered offset.
 *
 * <p><b>Skipped markers</b> ({@code kmq.start.skip.processed}, default true, with START coalescing in effect): when a
 * held-open START_RANGE is written, the records of it processed meanwhile are left out, and their END markers are
 * dropped: a record processed within {@code kmq.ack.flush.interval.ms} of its poll costs no marker at all. Its
 * offset is committed like any other, after its acknowledgment, so nothing is lost: what a crash leaves uncommitted
 * is polled again, as it would be with plain Kafka.
 *
 * <p><b>Pipelining</b> ({@code kmq.start.await=handout} only; {@code commit} never waits before a hand-out): before
 * handing out a batch, {@link #nextBatch} polls up to {@code kmq.prefetch.batches} (default 4) further batches without
 * waiting (within the room {@code kmq.max.in.flight} leaves) and sends their START markers, so that their round trip
 * to the broker overlaps the application's work; a later call hands out the oldest one once its START markers are
 * acknowledged, together with the prefetched batches behind it whose START markers are acknowledged as well, up to
 * {@code max.poll.records} records in all (so that small batches polled while the application works leave together
 * instead of queueing one per call); while it waits for them, it keeps polling (1 ms at a time) so that
 * records arriving meanwhile get their START markers sent at once. It prefetches up to that many batches only while
 * the START markers sent by the previous call are still in flight (an application faster than a broker round trip);
 * for a slower application one batch ahead is enough. A prefetched batch handed out more than a tenth of the message
 * timeout after its START markers were sent gets them sent (and awaited) again, so that it has its full timeout.
 * Prefetched batches whose START markers are durable have their offsets committed (step 4) before they are handed
 * out, oldest first, so that a crash leaves them to the tracker (redelivered once their timeout passes) instead of
 * having them polled again by the next owner as well. Prefetched records never handed out because their partition is
 * revoked or the client closes are given back: the partition's offset is committed back to the first of them
 * (synchronously, while still owned), then they get END markers, and the next owner polls them again (if that commit
 * fails no END is written, and the tracker redelivers them). If a partition is lost instead, they are polled again by
 * the next owner if their offsets were not committed yet (its START refreshes their deadline), else redelivered after
 * the timeout.
 *
 * <p><b>The guarantee</b> (at-least-once per record) follows from the order of the steps:
 * <ol>
 *   <li>a record's offset commit is sent only after its START marker, and those of every record polled before it,
 *       are durable (or not needed: the record was processed before its START was written), so a committed offset
 *       never covers a record that is neither processed nor has a durable START; a prefetched record given back has
 *       the offset committed back to it before its END is written;</li>
 *   <li>so whichever step a crash hits, the record is either polled again (its offset was not committed) or has a
 *       START marker the tracker sees, and is redelivered unless an END follows.</li>
 * </ol>
 * Markers of one record all go to one markers partition through one idempotent producer, so an END is never written
 * before the START it closes. If a START marker fails, {@link #nextBatch} seeks back to the first offset of each
 * partition of its batch and of every later one not yet committed, commits none of them and throws; the next call
 * polls them again (with {@code commit}, records handed out already are so delivered again; with {@code handout}
 * they were not handed out). A record may be delivered more than once (after a crash, a failed START or END, an
 * acknowledgment not yet flushed at a crash, a commit that did not complete before a crash, or a timeout that was too
 * short), never zero times.
 *
 * <p><b>Backpressure.</b> The client holds at most {@code kmq.max.in.flight} records that were returned and are not yet
 * processed, released or rejected: a batch never takes more records than the room left (the surplus of a poll is
 * sought back and polled again later), and at the limit {@link #nextBatch} pauses the partitions and returns no
 * records until room is made. A record held past its message timeout (or its last {@link #extend extension}) leaves
 * the count: the tracker redelivers it, so a processor that forgets to acknowledge cannot stall the client for good.
 * {@code max.poll.records} defaults to {@code min(500, kmq.max.in.flight)}.
 *
 * <p><b>Threads.</b> {@link #nextBatch} and {@link #close} must be called from one thread at a time, like a
 * {@code KafkaConsumer}; {@link #wakeup()} aborts a blocking {@code nextBatch} from another thread. The acknowledging
 * methods and {@link #metrics()} are safe from any thread. With coalesced acknowledgments a daemon thread
 * {@code kmq-ack-flusher-<topic>} writes the leftover ones every {@code kmq.ack.flush.interval.ms}; it stops on close.
 *
 * <p><b>Fail fast.</b> The constructor checks the topics with {@link KmqAdmin#validate}: it fails before consuming
 * anything when a topic is missing, or the markers topic has a different partition count than the message topic or
 * no {@code LogAppendTime} timestamps.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class KmqClient<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KmqClient.class);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Marker END = new Marker.End();

    private final KmqConfig config;
    private final Clock clock;
    private final BatchConsumer<K, V> consumer;
    private final Producer<byte[], byte[]> producer;
    private final MarkerSender markers;
    private final BatchPipeline<K, V> pipeline;
    /** Writes the coalesced END_RANGE markers; null without ranges or with a zero flush interval. */
    private final AckCoalescer acks;
    private final AckFlusher flusher;
    /** The records handed out; with {@link #acks}, it also holds their acknowledgments until they are written. */
    private final InFlightRecords inFlight;
    /** The last instance of a record's topic found equal to {@code kmq.topic} (a benign race: any thread sets it). */
    private String checkedTopic;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Validates the topics, then creates the consumer (subscribed to {@code config.topic()} in group
     * {@code config.groupId()}) and the marker producer. The deserializers are used as given (not configured) and
     * closed with the client.
     *
     * @throws KmqException if a topic is missing or invalid, see {@link KmqAdmin#validate}
     */
    public KmqClient(KmqConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(config, keyDeserializer, valueDeserializer, KafkaClientFactory.DEFAULT, Clock.systemUTC(), true);
    }

    /** Wiring for tests: the Kafka clients come from {@code clients}, ages are measured with {@code clock}. */
    KmqClient(KmqConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
              KafkaClientFactory clients, Clock clock, boolean validateTopics) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        if (validateTopics) {
            try (KmqAdmin admin = new KmqAdmin(clients.admin(ClientProperties.admin(config)))) {
                admin.validate(config);
            }
        }
        this.consumer = new BatchConsumer<>(clients.consumer(ClientProperties.consumer(config), keyDeserializer,
                valueDeserializer), clock, config.commitInterval());
        Map<String, Object> producerProperties = ClientProperties.producer(config);
        this.producer = createProducerOrClose(clients, producerProperties, consumer);
        boolean coalesce = config.markerRanges() && !config.ackFlushInterval().isZero();
        this.inFlight = new InFlightRecords(coalesce);
        this.markers = new MarkerSender(producer, config.topic(), config.markersTopic(),
                config.awaitStartBeforeHandout() && ClientProperties.lingers(producerProperties),
                config.coalesceStarts(), config.skipStartsOfProcessed() ? inFlight::skipProcessed : List::of);
        this.acks = coalesce ? new AckCoalescer(markers, inFlight) : null;
        this.flusher = coalesce ? new AckFlusher(acks, config.ackFlushInterval(), "kmq-ack-flusher-" + config.topic())
                : null;
        this.pipeline = new BatchPipeline<>(config, clock, consumer, markers, inFlight);
        try {
            consumer.subscribe(config.topic());
        } catch (RuntimeException e) {
            closed.set(true);
            closeAll(e);
            throw e;
        }
    }

    /**
     * Polls the next batch, writes its START markers, sends the commit of its offsets and returns it; see the
     * protocol above.
     * Returns an empty list when the poll found nothing or when the client is at {@code kmq.max.in.flight} (then it
     * waits up to {@code pollTimeout} for room, with its partitions paused, and polls only to stay in the group).
     *
     * @param pollTimeout how long to wait for records (or for room); zero or positive
     * @return the records, in partition order and offset order within a partition; unmodifiable
     * @throws KmqException        naming the first record whose START marker failed, or the batch whose offset commit
     *                             the consumer refused at once; the batch is polled again by the next call
     * @throws WakeupException     if {@link #wakeup()} was called
     * @throws IllegalStateException if the client is closed
     */
    public List<ConsumerRecord<K, V>> nextBatch(Duration pollTimeout) {
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative()) {
            throw new IllegalArgumentException("pollTimeout : " + pollTimeout + " (expected: >= 0)");
        }
        ensureOpen();
        return pipeline.next(pollTimeout);
    }

    /**
     * Acknowledges a record: writes its END marker without waiting for the broker, so the tracker will not redeliver
     * it. With {@code kmq.marker.ranges} the END is coalesced with those of the record's run into an END_RANGE marker,
     * sent when the run is settled in full, else within {@code kmq.ack.flush.interval.ms}, and at the latest on
     * {@link #close}; then an acknowledgment from the thread that calls {@link #nextBatch} takes no lock: it is
     * recorded for the client's next call, or its flusher, to apply. A failed send is counted in
     * {@link KmqClientMetrics#markerSendFailures()} (once per marker) and logged; the record is then redelivered
     * (at-least-once holds). Acknowledging a record twice is harmless (it may write the marker twice). Blocks only
     * while the producer's buffer is full ({@code max.block.ms}).
     *
     * @throws IllegalArgumentException if the record is not from {@code kmq.topic}
     * @throws IllegalStateException    if the client is closed
     * @throws KmqException             naming the record if the producer refuses the marker at once
     */
    public void processed(ConsumerRecord<?, ?> record) {
        checkTopic(record);
        ensureOpenFor(record, END.getClass());
        if (!inFlight.offerProcessed(record.partition(), record.offset())) { // the polling thread's path takes no lock
            settleChecked(record, END, Outcome.PROCESSED);
        }
    }

    /**
     * Acknowledges several records at once, each as {@link #processed(ConsumerRecord)} does, with one lock of the
     * client's bookkeeping for all of them instead of one per record: for an application that processes a batch and
     * then acknowledges it. Every record is checked before any is acknowledged.
     *
     * @throws IllegalArgumentException if a record is not from {@code kmq.topic} (none is then acknowledged)
     * @throws IllegalStateException    if the client is closed (records given)
     * @throws KmqException             naming a record if the producer refuses its marker at once
     */
    public void processedAll(Collection<? extends ConsumerRecord<?, ?>> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            return;
        }
        int[] partitions = new int[records.size()];
        long[] offsets = new long[records.size()];
        int i = 0;
        for (ConsumerRecord<?, ?> record : records) {
            checkTopic(record);
            partitions[i] = record.partition();
            offsets[i++] = record.offset();
        }
        ensureOpenFor(records.iterator().next(), END.getClass());
        Settlement[] settlements = inFlight.settleAll(partitions, offsets, Outcome.PROCESSED);
        for (int j = 0; j < settlements.length; j++) {
            if (settlements[j] != Settlement.END_HELD) {
                sendSettlementMarker(partitions[j], offsets[j], settlements[j], END);
            }
        }
    }

    /**
     * Negative acknowledgment: sends a RELEASE marker so the tracker redelivers the record after {@code delay}
     * (counted as a redelivery attempt). The record leaves the in-flight count. Sent like {@link #processed}.
     *
     * @param delay how long to wait before redelivery; zero or positive
     * @throws IllegalArgumentException if the record is not from {@code kmq.topic} or the delay is negative
     */
    public void release(ConsumerRecord<?, ?> record, Duration delay) {
        settle(record, new Marker.Release(delay), Outcome.RELEASED);
    }

    /**
     * Gives up on a record: sends a REJECT marker so the tracker moves it to the dead-letter topic now, with the
     * reason. A reason longer than {@value MarkerCodec#MAX_REASON_BYTES} UTF-8 bytes is truncated at a character
     * boundary. The record leaves the in-flight count. Sent like {@link #processed}.
     *
     * @throws IllegalArgumentException if the record is not from {@code kmq.topic}
     */
    public void reject(ConsumerRecord<?, ?> record, String reason) {
        Objects.requireNonNull(reason, "reason");
        settle(record, new Marker.Reject(Reasons.forRejectMarker(reason)), Outcome.REJECTED);
    }

    /**
     * Asks for more time: sends an EXTEND marker so the record is due {@code extension} after the marker's broker
     * timestamp instead. The record stays in flight. Sent like {@link #processed}.
     *
     * @param extension the new time allowed from now; positive
     * @throws IllegalArgumentException if the record is not from {@code kmq.topic} or the extension is not positive
     */
    public void extend(ConsumerRecord<?, ?> record, Duration extension) {
        MarkerKey key = keyOf(record);
        ensureOpenFor(record, Marker.Extend.class);
        markers.sendAsync(key, new Marker.Extend(extension));
        inFlight.extend(key, clock.instant().plus(extension));
    }

    /** Makes a blocking or the next {@link #nextBatch} throw {@link WakeupException}; safe from any thread. */
    public void wakeup() {
        inFlight.wakeUp();
        consumer.wakeup();
    }

    /** A snapshot of this client's counters; safe from any thread. */
    public KmqClientMetrics metrics() {
        Instant now = clock.instant();
        Duration oldestAge = inFlight.oldest()
                .map(handedOut -> Duration.between(handedOut, now))
                .filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
        return new KmqClientMetrics(pipeline.polled(), pipeline.started(), inFlight.count(Outcome.PROCESSED),
                inFlight.count(Outcome.RELEASED), inFlight.count(Outcome.REJECTED), inFlight.count(Outcome.EXTENDED),
                markers.failures(), inFlight.expiredCount(), inFlight.size(), oldestAge);
    }

    /** The configuration this client was created with. */
    public KmqConfig config() {
        return config;
    }

    /**
     * Writes the acknowledgments not yet flushed, END markers for prefetched records never handed out (see
     * pipelining above), sends every pending marker (waiting at most the producer's {@code delivery.timeout.ms}),
     * then synchronously
     * commits the offsets of returned batches not yet confirmed, closes the consumer (leaving the group) and the
     * producer. Every step runs even if one fails; the first failure is thrown with the others suppressed. Records
     * still in flight have a START without END: the tracker redelivers them. A second call does nothing.
     *
     * @throws KmqException if a client did not close cleanly
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int holding = inFlight.size();
        if (holding > 0) {
            log.info("closing KmqClient of topic {} with {} record(s) in flight; the tracker will redeliver them",
                    config.topic(), holding);
        }
        RuntimeException failure = null;
        try {
            if (flusher != null) {
                flusher.close();
                acks.flush();
            }
            pipeline.beforeClose();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            markers.flush();
        } catch (RuntimeException e) {
            failure = collect(failure, e);
        }
        failure = closeAll(failure);
        if (failure != null) {
            throw new KmqException("KmqClient of topic " + config.topic() + " did not close cleanly", failure);
        }
    }

    private static Producer<byte[], byte[]> createProducerOrClose(KafkaClientFactory clients,
                                                                  Map<String, Object> properties,
                                                                  BatchConsumer<?, ?> created) {
        try {
            return clients.producer(properties);
        } catch (RuntimeException e) {
            try {
                created.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Closes the flusher, consumer and producer; returns {@code failure}, or the first close failure, with the rest
     * suppressed.
     */
    private RuntimeException closeAll(RuntimeException failure) {
        RuntimeException first = failure;
        if (flusher != null) {
            flusher.close(); // idempotent; here for a constructor that failed after starting it
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            first = collect(first, e);
        }
        try {
            producer.close(PRODUCER_CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            first = collect(first, e);
        }
        return first;
    }

    private static RuntimeException collect(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * Writes the marker that ends the record's processing (counted as {@code outcome}), unless the in-flight index
     * holds it (a coalesced END, written by the flusher).
     */
    private void settle(ConsumerRecord<?, ?> record, Marker marker, Outcome outcome) {
        checkTopic(record);
        ensureOpenFor(record, marker.getClass());
        settleChecked(record, marker, outcome);
    }

    private void settleChecked(ConsumerRecord<?, ?> record, Marker marker, Outcome outcome) {
        Settlement settlement = inFlight.settle(record.partition(), record.offset(), outcome);
        if (settlement != Settlement.END_HELD) {
            sendSettlementMarker(record.partition(), record.offset(), settlement, marker);
        }
    }

    /** Writes the marker of a settled record whose END is not held in its run. */
    private void sendSettlementMarker(int partition, long offset, Settlement settlement, Marker marker) {
        if (settlement == Settlement.NOT_IN_FLIGHT) {
            log.debug("topic={} partition={} offset={} is not in flight (acknowledged before?); marker sent anyway",
                    config.topic(), partition, offset);
        }
        markers.sendAsync(new MarkerKey(partition, offset), marker);
    }

    /** Throws if closed; the marker type is named only then (per acknowledgment, its name would cost). */
    private void ensureOpenFor(ConsumerRecord<?, ?> record, Class<?> markerType) {
        if (closed.get()) {
            throw new IllegalStateException("KmqClient is closed: " + markerType.getSimpleName()
                    + " marker not written for topic="
                    + record.topic() + " partition=" + record.partition() + " offset=" + record.offset()
                    + "; the tracker will redeliver the record");
        }
    }

    private MarkerKey keyOf(ConsumerRecord<?, ?> record) {
        checkTopic(record);
        return new MarkerKey(record.partition(), record.offset());
    }

    /** Throws unless the record is a polled record of this client's topic. */
    private void checkTopic(ConsumerRecord<?, ?> record) {
        Objects.requireNonNull(record, "record");
        String topic = record.topic();
        if (topic != checkedTopic) { // the records of a fetch share one instance: mostly one reference comparison
            if (!config.topic().equals(topic)) {
                throw new IllegalArgumentException("record topic : " + topic + " (partition " + record.partition()
                        + ", offset " + record.offset() + ") (expected: this client's topic " + config.topic() + ")");
            }
            checkedTopic = topic;
        }
        if (record.partition() < 0 || record.offset() < 0) {
            throw new IllegalArgumentException("record of topic " + record.topic() + " has partition "
                    + record.partition() + " and offset " + record.offset()
                    + " (expected: both >= 0, a polled record)");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("KmqClient of topic " + config.topic() + " is closed");
        }
    }

}
