package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.MalformedMarkerException;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker for one markers partition (one Streams task): applies markers to the state, acts on the due entries the
 * {@link PartitionClock clock rule} allows, and has a tick written when an idle partition must be proven caught up.
 *
 * <p>When it acts: as soon as a marker read (a tick included) proves an entry due, in {@code process} — at most once
 * per {@value #ACT_GAP_MS} ms, so a steady flow of markers is handled in small batches rather than one read-back per
 * marker; a second wall-clock punctuator of that period acts on what the gap held back — and at every wall-clock
 * punctuation. After each act a tick is requested for the earliest deadline still unproven.
 *
 * <p>When it commits: the redeliveries become visible with the next exactly-once commit, so an act that wrote any (or
 * found due messages behind the task's own open transaction) asks Streams for a commit, at most once per
 * {@code commitGap} per stream thread (one commit covers all its tasks; a punctuator of the act-gap period asks for
 * one held back by that gap). Otherwise Streams commits at its own, longer interval: each commit costs the broker
 * several requests and log writes, and an entry started and ended between two commits never reaches the changelog.
 * Ticks are scheduled for the moment the earliest unproven deadline passes ({@link Ticks}); they are written outside
 * the transaction.
 *
 * <p>When it reads: the task tells its stream thread's {@link ReadPacing} when it next needs the markers read (at once
 * while something is due or a commit is wanted, and for a second after it read a release or reject; else when its
 * earliest deadline can first be proven), so the thread may leave them unread up to the maximum read delay while
 * nothing it tracks is due sooner.
 *
 * <p>A task owns exactly one markers partition (one source topic per sub-topology), so the processor's partition is
 * the task's. A marker whose key names another message partition is skipped as malformed: markers partition ==
 * message partition is what lets a tick prove anything about that message. Streams does not process or punctuate
 * while a task restores, so nothing is redelivered from half-restored state.
 */
public final class TrackerProcessor implements Processor<byte[], byte[], SinkKey, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(TrackerProcessor.class);
    private static final Duration SKIP_LOG_PERIOD = Duration.ofSeconds(10);
    /** The oldest-start gauge needs a full scan of the in-flight store, so it is refreshed only this often. */
    private static final Duration GAUGE_SCAN_PERIOD = Duration.ofSeconds(5);
    private static final Duration MIN_TICK_RETRY = Duration.ofSeconds(1);
    /** Ticks of one partition are at least this far apart (a tick whose stamp proved too little is not resent at once). */
    private static final Duration MIN_TICK_GAP = Duration.ofMillis(20);
    /** Acting from {@code process} (a read-back of due messages and a commit) happens at most this often per task. */
    private static final long ACT_GAP_MS = 20;
    /**
     * After reading a release or a reject, the task wants the markers read at once for this long: such markers come in
     * runs (a failing dependency, a bad batch) and each makes a message due at once or after its delay, which no
     * deadline already known announces.
     */
    private static final long PROMPT_AFTER_RELEASE_MS = 1_000;
    /**
     * When a task of this stream thread last asked for a commit. Under exactly-once all tasks of a thread share one
     * transaction and one commit covers them all, so the commit gap holds per thread, not per task.
     */
    private static final ThreadLocal<long[]> LAST_COMMIT_ASKED = ThreadLocal.withInitial(() -> new long[] {
        Long.MIN_VALUE});

    private final KmqConfig config;
    private final TrackerTopology.Names names;
    private final TrackerTopology.Options options;
    private final RecordReader.Factory readers;
    private final Ticks.Factory tickFactory;
    private final TopicStats stats;

    private ProcessorContext<SinkKey, byte[]> context;
    private int partition;
    private String taskId;
    private InflightStore store;
    private PartitionClock clock;
    private RateLimitedLog skipLog;
    private Ticks ticks;
    private Redeliverer redeliverer;
    private TopicStats.TaskGauge gauge;
    private Runnable unpace;
    private long lastScan;
    private long lastAct = Long.MIN_VALUE;
    /** When a release or reject was last read (wall clock). */
    private long lastReleaseRead = Long.MIN_VALUE;
    /** The last act left due messages unread: {@code process} does not act again before the next punctuation. */
    private boolean waitForCommit;
    /** An act from {@code process} was held back by the act gap: the gap punctuator makes up for it. */
    private boolean actHeld;
    /** An act wrote what only a commit makes visible, and no commit was asked for since. */
    private boolean commitWanted;

    /** A processor for one task of the sub-topology of {@code config}. */
    public TrackerProcessor(KmqConfig config, TrackerTopology.Names names, TrackerTopology.Options options,
                            RecordReader.Factory readers, Ticks.Factory ticks, TopicStats stats) {
        this.config = config;
        this.names = names;
        this.options = options;
        this.readers = readers;
        this.tickFactory = ticks;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<SinkKey, byte[]> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        this.taskId = context.taskId().toString();
        Clock wallClock = new ContextClock(context);
        KeyValueStore<Bytes, byte[]> inflight = context.getStateStore(names.inflightStore());
        this.store = new InflightStore(inflight, context.getStateStore(names.rangesStore()));
        Duration tickRetry = options.punctuationInterval().multipliedBy(10);
        this.clock = new PartitionClock(wallClock, tickRetry.compareTo(MIN_TICK_RETRY) > 0 ? tickRetry
                : MIN_TICK_RETRY, MIN_TICK_GAP);
        this.skipLog = new RateLimitedLog(log, wallClock, SKIP_LOG_PERIOD,
                config.markersTopic() + "-" + partition);
        TrackerOutputs outputs = new TrackerOutputs(context, names);
        this.ticks = tickFactory.create(config.markersTopic(), partition, outputs);
        this.redeliverer = new Redeliverer(config, store, outputs, stats, readers,
                context.applicationId() + "-reader-" + taskId);
        this.gauge = stats.register(taskId);
        refreshGauge(context.currentSystemTimeMs());
        context.schedule(options.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        context.schedule(Duration.ofMillis(ACT_GAP_MS), PunctuationType.WALL_CLOCK_TIME, this::onGap);
        this.unpace = ReadPacing.ofCurrentThread().register(this::readWantedBy);
        // the observed time starts unknown: an overdue entry gets a tick at once, proving the backlog read
        long earliest = store.earliestDeadline();
        if (earliest != Long.MAX_VALUE) {
            requestTick(earliest);
        }
        log.debug("Tracking {}-{} with {} message(s) in flight", config.markersTopic(), partition, store.count());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        clock.observe(record.timestamp());
        MarkerKey key;
        Marker marker;
        try {
            key = MarkerCodec.decodeKey(record.key());
            marker = MarkerCodec.decodeValue(record.value());
        } catch (MalformedMarkerException e) {
            skip(e.getMessage());
            return;
        }
        if (key.partition() != partition) {
            skip("marker for message partition " + key.partition() + " (expected: " + partition
                    + ", the markers partition it was read from)");
        } else if (marker instanceof Marker.Tick) {
            clock.tickRead();
        } else if (key.offset() == MarkerKey.TICK_OFFSET) {
            skip("marker of type " + marker.type() + " with the tick offset -1 (expected: only TICK markers)");
        } else if (rangeCount(marker) > Long.MAX_VALUE - key.offset()) {
            skip("range marker of " + rangeCount(marker) + " offsets from " + key
                    + " (expected: the last offset at most Long.MAX_VALUE - 1)");
        } else {
            store.apply(key, marker, record.timestamp());
            gauge.inFlight(store.count());
            if (marker instanceof Marker.Release || marker instanceof Marker.Reject) {
                lastReleaseRead = context.currentSystemTimeMs();
            }
        }
        afterMarker(context.currentSystemTimeMs());
    }

    /** Acts if the markers read so far prove the earliest deadline past, else makes sure a tick will come. */
    private void afterMarker(long now) {
        long earliest = store.earliestDeadline();
        if (earliest == Long.MAX_VALUE) {
            if (clock.cancelPendingTick()) {
                ticks.cancel();
            }
            return;
        }
        if (!clock.provablyPast(earliest)) {
            requestTick(earliest);
        } else if (options.actOnRead() && !waitForCommit
                && (lastAct == Long.MIN_VALUE || now - lastAct >= ACT_GAP_MS)) {
            act(now);
        } else if (options.actOnRead()) {
            actHeld = !waitForCommit;
        }
    }

    private static int rangeCount(Marker marker) {
        if (marker instanceof Marker.StartRange start) {
            return start.count();
        }
        return marker instanceof Marker.EndRange end ? end.count() : 0;
    }

    private void skip(String problem) {
        stats.skipped();
        skipLog.skipped(problem);
    }

    private void punctuate(long now) {
        ticks.punctuate(now);
        if (clock.observedTime() != PartitionClock.UNKNOWN) {
            act(now);
        } else {
            requestTickForUnproven();
        }
        gauge.inFlight(store.count());
        if (now - lastScan >= GAUGE_SCAN_PERIOD.toMillis()) {
            refreshGauge(now);
        }
    }

    /**
     * Acts now if an act from {@code process} was held back by the act gap and nothing has acted since; asks for a
     * commit an act wanted, if the commit gap held it back.
     */
    private void onGap(long now) {
        if (options.actOnRead() && actHeld && !waitForCommit && now - lastAct >= ACT_GAP_MS) {
            act(now);
        }
        askForCommitIfWanted(now);
    }

    private void askForCommitIfWanted(long now) {
        if (!commitWanted) {
            return;
        }
        long[] lastAsked = LAST_COMMIT_ASKED.get();
        if (lastAsked[0] == Long.MIN_VALUE || now - lastAsked[0] >= options.commitGap().toMillis()) {
            context.commit();
            lastAsked[0] = now;
            commitWanted = false;
        }
    }

    /** Schedules a tick for the earliest deadline the markers read so far do not prove past, if any. */
    private void requestTickForUnproven() {
        OptionalLong unproven = store.firstDeadlineAtOrAfter(Math.max(0, clock.observedTime()));
        if (unproven.isPresent()) {
            requestTick(unproven.getAsLong());
        }
    }

    /**
     * Redelivers or dead-letters what is provably due (visible with the commit it then asks for), then asks for the
     * tick that proves the next deadline.
     */
    private void act(long now) {
        lastAct = now;
        actHeld = false;
        List<InflightStore.Due> due = store.dueBefore(clock.observedTime(), options.maxActionsPerPunctuation());
        int handled = due.isEmpty() ? 0 : redeliverer.act(due, now);
        if (handled > 0) {
            gauge.inFlight(store.count());
        }
        // messages behind the task's own open transaction cannot be read before it commits: leave them to the
        // punctuation instead of trying again with every marker
        waitForCommit = handled < due.size();
        if (handled > 0 || waitForCommit) {
            commitWanted = true;
            askForCommitIfWanted(now);
        }
        requestTickForUnproven();
    }

    /**
     * The wall time by which this task wants the markers read again ({@link ReadPacing}): at once while an act or a
     * commit is pending, a deadline is provably past or a release or reject was read within the last
     * {@value #PROMPT_AFTER_RELEASE_MS} ms; else when the earliest deadline can first be proven (its tick is sent
     * then); never while nothing is in flight. Markers not read yet cannot make anything due sooner, except a first
     * release (or reject) after a quiet second, with a delay shorter than the stream thread's maximum read delay.
     */
    private long readWantedBy() {
        if (actHeld || waitForCommit || commitWanted || (lastReleaseRead != Long.MIN_VALUE
                && context.currentSystemTimeMs() - lastReleaseRead < PROMPT_AFTER_RELEASE_MS)) {
            return Long.MIN_VALUE;
        }
        long earliest = store.earliestDeadline();
        if (earliest == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return clock.provablyPast(earliest) ? Long.MIN_VALUE : DeadlineIndex.plus(earliest, 1);
    }

    /** Schedules a tick for the earliest deadline not provably past, if the clock wants one. */
    private void requestTick(long deadline) {
        long at = clock.tickTime(deadline);
        if (at != PartitionClock.NO_TICK) {
            clock.tickScheduled(at);
            ticks.at(at, () -> {
                boolean send = clock.fireTick(deadline);
                if (send) {
                    stats.tickSent();
                }
                return send;
            });
        }
    }

    private void refreshGauge(long now) {
        InflightStore.Scan scan = store.scan();
        gauge.inFlight(scan.count());
        gauge.oldestFirstStart(scan.oldestFirstStart());
        lastScan = now;
    }

    @Override
    public void close() {
        if (unpace != null) {
            unpace.run();
        }
        if (gauge != null) {
            stats.unregister(taskId, gauge);
        }
        if (ticks != null) {
            ticks.cancel();
        }
        if (redeliverer != null) {
            redeliverer.close();
        }
    }

    /** The wall clock of the Streams runtime (mockable by the TopologyTestDriver). */
    private static final class ContextClock extends Clock {
        private final ProcessorContext<?, ?> context;

        ContextClock(ProcessorContext<?, ?> context) {
            this.context = context;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the Streams wall clock has no zone");
        }

        @Override
        public long millis() {
            return context.currentSystemTimeMs();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
