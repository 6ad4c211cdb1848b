package io.kmq.internal;

import io.kmq.KmqException;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes markers about the records of one message topic to its markers topic, always to markers partition ==
 * message partition. Thread-safe (the producer is). Every failed send is counted and logged with the message's
 * topic, partition and offset.
 *
 * <p>With START coalescing ({@link #startRuns}), the START_RANGE marker of a run is held open while the next polls
 * continue it, and sent as one marker covering all of them: by {@link #flushStarts} (the acknowledgment flusher calls
 * it every {@code kmq.ack.flush.interval.ms}), before any other marker is sent, and before any START is awaited.
 * So a record's START always leaves before its END, RELEASE, REJECT or EXTEND, and nothing waits on a START that was
 * never sent. When it is sent, the records of it acknowledged meanwhile can be left out ({@code startsToWrite}): their
 * END is then never written either.
 */
public final class MarkerSender {

    private static final Logger log = LoggerFactory.getLogger(MarkerSender.class);

    private final Producer<byte[], byte[]> producer;
    private final String messageTopic;
    private final String markersTopic;
    private final boolean flushBeforeAwait;
    private final boolean coalesceStarts;
    private final Function<MarkerRun, List<MarkerRun>> startsToWrite;
    private final LongAdder failures = new LongAdder();
    /** START_RANGE markers not sent yet, one per partition; guarded by itself, and sent while holding it. */
    private final Map<Integer, OpenStart> openStarts = new HashMap<>();

    /**
     * A START_RANGE marker still growing: the offsets it covers so far ({@code first} and {@code count}, grown in
     * place, so that a poll continuing it allocates nothing), and the result its batches await.
     */
    private static final class OpenStart {
        final int partition;
        final long first;
        final Duration timeout;
        final LongAdder acknowledgedRecords;
        final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        int count;

        OpenStart(MarkerRun run, Duration timeout, LongAdder acknowledgedRecords) {
            this.partition = run.partition();
            this.first = run.first();
            this.count = run.count();
            this.timeout = timeout;
            this.acknowledgedRecords = acknowledgedRecords;
        }

        /** Whether {@code run} continues these offsets and fits in one marker with them. */
        boolean continuedBy(MarkerRun run, Duration runTimeout) {
            return run.first() == first + count && count + run.count() <= MarkerCodec.MAX_RANGE_COUNT
                    && runTimeout.equals(timeout);
        }

        /** Covers {@code run} too, which {@link #continuedBy} accepted. */
        void grow(MarkerRun run) {
            count += run.count();
        }

        /** The offsets covered so far. */
        MarkerRun covered() {
            return new MarkerRun(partition, first, count);
        }
    }

    /**
     * A sender of markers about {@code messageTopic} to {@code markersTopic}; it does not own the producer.
     *
     * @param flushBeforeAwait whether {@link #send} must flush the producer to send its markers now: true when the
     *                         producer lingers ({@code linger.ms > 0}) and hand-outs wait for START markers, false when
     *                         it sends without delay or nothing urgent waits for them
     */
    public MarkerSender(Producer<byte[], byte[]> producer, String messageTopic, String markersTopic,
                        boolean flushBeforeAwait) {
        this(producer, messageTopic, markersTopic, flushBeforeAwait, false);
    }

    /**
     * As above; with {@code coalesceStarts} the START_RANGE markers of {@link #startRuns} are held open while later
     * runs continue them (the caller then calls {@link #flushStarts} regularly).
     */
    public MarkerSender(Producer<byte[], byte[]> producer, String messageTopic, String markersTopic,
                        boolean flushBeforeAwait, boolean coalesceStarts) {
        this(producer, messageTopic, markersTopic, flushBeforeAwait, coalesceStarts, List::of);
    }

    /**
     * As above; a START held open is written only for the stretches of its offsets that {@code startsToWrite}
     * returns when it is sent (the others need none: see {@link InFlightRecords#skipProcessed}). The function is
     * called under this sender's lock and must not call it.
     */
    public MarkerSender(Producer<byte[], byte[]> producer, String messageTopic, String markersTopic,
                        boolean flushBeforeAwait, boolean coalesceStarts,
                        Function<MarkerRun, List<MarkerRun>> startsToWrite) {
        if (flushBeforeAwait && coalesceStarts) {
            throw new IllegalArgumentException("flushBeforeAwait and coalesceStarts : both true (expected: at most "
                    + "one; START markers that hand-outs wait for are never held back)");
        }
        this.producer = producer;
        this.messageTopic = messageTopic;
        this.markersTopic = markersTopic;
        this.flushBeforeAwait = flushBeforeAwait;
        this.coalesceStarts = coalesceStarts;
        this.startsToWrite = startsToWrite;
    }

    /** The first marker of a batch that was not acknowledged, and why. */
    public record Failure(MarkerKey key, Throwable cause) {
    }

    /**
     * What became of a batch of markers.
     *
     * @param acknowledged how many records the markers the broker acknowledged cover (a range marker counts each)
     * @param firstFailure the first marker, in batch order, that it did not; empty if none
     */
    public record Outcome(int acknowledged, Optional<Failure> firstFailure) {
    }

    /**
     * One marker to write.
     *
     * @param records how many records it covers: 1, or a range marker's count
     */
    public record Write(MarkerKey key, Marker marker, int records) {
    }

    /**
     * Markers sent by {@link #send} (or held open by {@link #startRuns}) whose acknowledgments are still to be awaited
     * by {@link #await}: the i-th result is that of the i-th write, or of the START_RANGE of the i-th run.
     */
    public static final class Pending {
        /** The markers sent, or null for START markers of {@link #startedRuns}. */
        private final List<Write> writes;
        /** With START coalescing, the runs whose START_RANGE markers the results are (no Write made per poll). */
        private final List<MarkerRun> startedRuns;
        private final Duration timeout;
        private final List<Future<RecordMetadata>> results;

        private Pending(List<Write> writes, List<Future<RecordMetadata>> results) {
            this(writes, null, null, results);
        }

        private Pending(List<Write> writes, List<MarkerRun> startedRuns, Duration timeout,
                        List<Future<RecordMetadata>> results) {
            this.writes = writes;
            this.startedRuns = startedRuns;
            this.timeout = timeout;
            this.results = results;
        }

        /** How many records the i-th marker covers. */
        private int records(int i) {
            return writes != null ? writes.get(i).records() : startedRuns.get(i).count();
        }

        /** The message the i-th marker is about (a range marker's first). */
        private MarkerKey key(int i) {
            return writes != null ? writes.get(i).key() : startedRuns.get(i).key();
        }

        /** The i-th marker. */
        private Marker marker(int i) {
            return writes != null ? writes.get(i).marker() : startedRuns.get(i).start(timeout);
        }

        /** Whether every marker is acknowledged or failed already, so that {@link #await} would not block. */
        public boolean isDone() {
            for (Future<RecordMetadata> result : results) { // a loop, not a stream: asked on every poll
                if (!result.isDone()) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether every marker this awaits is one {@code other} awaits too (START markers held open and grown by later
         * polls are awaited by each of them): then both are done together.
         */
        public boolean awaitsOnlyMarkersOf(Pending other) {
            for (Future<RecordMetadata> result : results) {
                if (!containsSame(other.results, result)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean containsSame(List<Future<RecordMetadata>> results, Future<RecordMetadata> wanted) {
            for (Future<RecordMetadata> result : results) {
                if (result == wanted) {
                    return true;
                }
            }
            return false;
        }

        /** Whether every marker is acknowledged already (false while any is in flight, or if any failed). */
        public boolean succeeded() {
            for (Future<RecordMetadata> result : results) {
                if (!result.isDone() || await(result) != null) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Sends the START_RANGE markers of polled runs, or with START coalescing, adds each run to the open START of its
     * partition when it continues it (else sends that one and opens a new one); see the class comment. The broker's
     * acknowledgment of a marker adds the records it covers to {@code acknowledgedRecords}.
     *
     * @param runs    kept by the result, not copied: the caller does not change it afterwards
     * @param timeout the message timeout written in the markers
     * @return the markers to await, one per run (a run's failure names its first record)
     */
    public Pending startRuns(List<MarkerRun> runs, Duration timeout, LongAdder acknowledgedRecords) {
        if (!coalesceStarts) {
            List<Write> writes = new ArrayList<>(runs.size());
            for (MarkerRun run : runs) {
                writes.add(new Write(run.key(), run.start(timeout), run.count()));
            }
            return send(writes, acknowledgedRecords);
        }
        List<Future<RecordMetadata>> results = new ArrayList<>(runs.size());
        synchronized (openStarts) {
            for (MarkerRun run : runs) {
                OpenStart open = openStarts.get(run.partition());
                if (open != null && open.continuedBy(run, timeout)) {
                    open.grow(run);
                } else {
                    if (open != null) {
                        sendOpen(open);
                    }
                    open = new OpenStart(run, timeout, acknowledgedRecords);
                    openStarts.put(run.partition(), open);
                }
                results.add(open.result);
            }
        }
        return new Pending(null, runs, timeout, results);
    }

    /** Sends every START marker held open ({@link #startRuns}); cheap when there is none. */
    public void flushStarts() {
        if (!coalesceStarts) {
            return;
        }
        synchronized (openStarts) {
            if (openStarts.isEmpty()) {
                return;
            }
            openStarts.values().forEach(this::sendOpen);
            openStarts.clear();
        }
    }

    /**
     * Sends an open START marker (under the lock, so that no other marker overtakes it), one per stretch that still
     * needs it; completes its result once all are acknowledged (at once if none is needed).
     */
    private void sendOpen(OpenStart open) {
        MarkerRun covered = open.covered();
        List<MarkerRun> toWrite = startsToWrite.apply(covered);
        int written = 0;
        for (MarkerRun stretch : toWrite) {
            written += stretch.count();
        }
        if (written < covered.count()) {
            open.acknowledgedRecords.add(covered.count() - written); // need no START: counted as started
        }
        if (toWrite.isEmpty()) {
            open.result.complete(null);
            return;
        }
        AtomicInteger unacknowledged = new AtomicInteger(toWrite.size());
        for (MarkerRun stretch : toWrite) {
            try {
                producer.send(record(stretch.key(), MarkerCodec.encodeValue(stretch.start(open.timeout))),
                        (metadata, exception) -> {
                            if (exception != null) {
                                open.result.completeExceptionally(exception);
                                return;
                            }
                            open.acknowledgedRecords.add(stretch.count());
                            if (unacknowledged.decrementAndGet() == 0) {
                                open.result.complete(metadata);
                            }
                        });
            } catch (RuntimeException e) {
                open.result.completeExceptionally(e);
                return;
            }
        }
    }

    /**
     * Sends {@code marker} for every key and waits until the broker has acknowledged or failed each of them; see
     * {@link #send} and {@link #await}.
     */
    public Outcome sendAndAwait(List<MarkerKey> keys, Marker marker) {
        return await(send(keys.stream().map(key -> new Write(key, marker, 1)).toList()));
    }

    /**
     * Sends the markers without waiting; {@link #await} then waits for them. The producer is flushed only if it
     * lingers, since a flush waits for every pending marker.
     */
    public Pending send(List<Write> writes) {
        return send(writes, null);
    }

    /**
     * As {@link #send(List)}, and adds the records each marker covers to {@code acknowledgedRecords} (unless null) as
     * soon as the broker acknowledges it, from the producer's thread.
     */
    public Pending send(List<Write> writes, LongAdder acknowledgedRecords) {
        flushStarts();
        List<Future<RecordMetadata>> results = new ArrayList<>(writes.size());
        for (Write write : writes) {
            Callback counting = acknowledgedRecords == null ? null : (metadata, exception) -> {
                if (exception == null) {
                    acknowledgedRecords.add(write.records());
                }
            };
            results.add(sendCatching(write.key(), MarkerCodec.encodeValue(write.marker()), counting));
        }
        if (flushBeforeAwait && !writes.isEmpty()) {
            producer.flush(); // send now despite linger.ms: the poll loop waits for these
        }
        return new Pending(writes, results);
    }

    /**
     * Waits until the broker has acknowledged or failed each marker of {@code pending} (bounded by the producer's
     * {@code delivery.timeout.ms}). Only these markers are awaited, not END markers sent before them. Failures are
     * counted and logged once per batch.
     *
     * @return how many records the durable markers cover, and the first failure in {@link #send} order
     */
    public Outcome await(Pending pending) {
        if (!pending.isDone()) {
            flushStarts(); // what it waits for may be held open
        }
        Failure first = null;
        int acknowledged = 0;
        int failed = 0;
        int markers = pending.results.size();
        for (int i = 0; i < markers; i++) {
            Throwable failure = await(pending.results.get(i));
            if (failure == null) {
                acknowledged += pending.records(i);
                continue;
            }
            failed++;
            if (first == null) {
                first = new Failure(pending.key(i), failure);
            }
            if (failure instanceof InterruptedException) {
                break; // the rest are not awaited; the caller reports the interrupt
            }
        }
        if (first != null) {
            // one line per batch, not per marker: a broker outage fails whole batches
            failures.add(failed);
            log.warn("{} of {} marker(s) ({}, ...) were not written to {}; first: topic={} partition={} offset={}: {}",
                    failed, markers, markerName(pending.marker(0)), markersTopic,
                    messageTopic, first.key().partition(), first.key().offset(), first.cause().toString());
        }
        return new Outcome(acknowledged, Optional.ofNullable(first));
    }

    /**
     * Sends a marker without waiting for the broker; a failure reported later is counted and logged. An END, RELEASE
     * or REJECT that is lost only means the tracker redelivers the message: at-least-once holds.
     *
     * @throws KmqException naming the message if the producer refuses the marker at once (for example when closed)
     */
    public void sendAsync(MarkerKey key, Marker marker) {
        flushStarts(); // the record's START first
        byte[] value = MarkerCodec.encodeValue(marker);
        try {
            producer.send(record(key, value), (metadata, exception) -> {
                if (exception != null) {
                    recordFailure(key, marker, exception);
                }
            });
        } catch (RuntimeException e) {
            recordFailure(key, marker, e);
            throw new KmqException(markerName(marker) + " marker could not be sent; the message will be redelivered",
                    messageTopic, key.partition(), key.offset(), e);
        }
    }

    /** How many markers failed to send so far. */
    public long failures() {
        return failures.sum();
    }

    /** Blocks until every marker sent so far, and every START held open, is acknowledged or failed. */
    public void flush() {
        flushStarts();
        producer.flush();
    }

    private Future<RecordMetadata> sendCatching(MarkerKey key, byte[] value, Callback callback) {
        try {
            return producer.send(record(key, value), callback);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ProducerRecord<byte[], byte[]> record(MarkerKey key, byte[] value) {
        return new ProducerRecord<>(markersTopic, key.partition(), MarkerCodec.encodeKey(key), value);
    }

    private static Throwable await(Future<RecordMetadata> result) {
        try {
            result.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void recordFailure(MarkerKey key, Marker marker, Throwable cause) {
        failures.increment();
        log.warn("{} marker for topic={} partition={} offset={} was not written to {}: {}", markerName(marker),
                messageTopic, key.partition(), key.offset(), markersTopic, cause.toString());
    }

    private static String markerName(Marker marker) {
        return marker.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
