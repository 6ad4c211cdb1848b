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
 * The tracker for one markers partition (one Streams task): applies markers to the state, and on a wall-clock
 * punctuation acts on the due entries the {@link PartitionClock clock rule} allows and sends a tick when an idle
 * partition must be proven caught up.
 *
 * <p>A task owns exactly one markers partition (one source topic per sub-topology), so the processor's partition is
 * the task's. A marker whose key names another message partition is skipped as malformed: markers partition ==
 * message partition is what lets a tick prove anything about that message. Streams does not punctuate while a task
 * restores, so nothing is redelivered from half-restored state.
 */
public final class TrackerProcessor implements Processor<byte[], byte[], SinkKey, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(TrackerProcessor.class);
    private static final Duration SKIP_LOG_PERIOD = Duration.ofSeconds(10);
    /** The oldest-start gauge needs a full scan of the in-flight store, so it is refreshed only this often. */
    private static final Duration GAUGE_SCAN_PERIOD = Duration.ofSeconds(5);
    private static final Duration MIN_TICK_RETRY = Duration.ofSeconds(1);
    private static final Marker.Tick TICK = new Marker.Tick();

    private final KmqConfig config;
    private final TrackerTopology.Names names;
    private final TrackerTopology.Options options;
    private final RecordReader.Factory readers;
    private final TopicStats stats;

    private int partition;
    private String taskId;
    private InflightStore store;
    private PartitionClock clock;
    private RateLimitedLog skipLog;
    private TrackerOutputs outputs;
    private Redeliverer redeliverer;
    private TopicStats.TaskGauge gauge;
    private long lastScan;

    /** A processor for one task of the sub-topology of {@code config}. */
    public TrackerProcessor(KmqConfig config, TrackerTopology.Names names, TrackerTopology.Options options,
                            RecordReader.Factory readers, TopicStats stats) {
        this.config = config;
        this.names = names;
        this.options = options;
        this.readers = readers;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<SinkKey, byte[]> context) {
        this.partition = context.taskId().partition();
        this.taskId = context.taskId().toString();
        Clock wallClock = new ContextClock(context);
        KeyValueStore<Bytes, byte[]> inflight = context.getStateStore(names.inflightStore());
        KeyValueStore<Bytes, byte[]> deadlines = context.getStateStore(names.deadlinesStore());
        this.store = new InflightStore(inflight, deadlines, context.getStateStore(names.rangesStore()),
                context.getStateStore(names.rangeDeadlinesStore()));
        Duration tickRetry = options.punctuationInterval().multipliedBy(10);
        this.clock = new PartitionClock(wallClock, tickRetry.compareTo(MIN_TICK_RETRY) > 0 ? tickRetry
                : MIN_TICK_RETRY);
        this.skipLog = new RateLimitedLog(log, wallClock, SKIP_LOG_PERIOD,
                config.markersTopic() + "-" + partition);
        this.outputs = new TrackerOutputs(context, names);
        this.redeliverer = new Redeliverer(config, store, outputs, stats, readers,
                context.applicationId() + "-reader-" + taskId);
        this.gauge = stats.register(taskId);
        refreshGauge(context.currentSystemTimeMs());
        context.schedule(options.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
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
        if (clock.observedTime() != PartitionClock.UNKNOWN) {
            List<InflightStore.Due> due = store.dueBefore(clock.observedTime(), options.maxActionsPerPunctuation());
            if (!due.isEmpty()) {
                redeliverer.act(due, now);
            }
        }
        OptionalLong unproven = store.firstDeadlineAtOrAfter(Math.max(0, clock.observedTime()));
        if (unproven.isPresent() && clock.shouldTick(unproven.getAsLong())) {
            outputs.marker(MarkerKey.tick(partition), TICK, now);
            clock.tickSent();
            stats.tickSent();
        }
        gauge.inFlight(store.count());
        if (now - lastScan >= GAUGE_SCAN_PERIOD.toMillis()) {
            refreshGauge(now);
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
        if (gauge != null) {
            stats.unregister(taskId, gauge);
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
