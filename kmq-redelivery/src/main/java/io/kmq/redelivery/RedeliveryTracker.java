package io.kmq.redelivery;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.redelivery.internal.Closer;
import io.kmq.redelivery.internal.KafkaRecordReader;
import io.kmq.redelivery.internal.MarkersLag;
import io.kmq.redelivery.internal.PacedClientSupplier;
import io.kmq.redelivery.internal.PunctuatedTicks;
import io.kmq.redelivery.internal.RecordReader;
import io.kmq.redelivery.internal.StreamsProperties;
import io.kmq.redelivery.internal.ThreadReplacementPolicy;
import io.kmq.redelivery.internal.Ticker;
import io.kmq.redelivery.internal.TopicStats;
import io.kmq.redelivery.internal.TrackerMeters;
import io.kmq.redelivery.internal.TrackerStats;
import io.kmq.redelivery.internal.TrackerTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redelivery tracker: a Kafka Streams application that reads the markers of one or more kmq topics and redelivers
 * (or dead-letters) the messages whose processing timed out, was released or was rejected.
 *
 * <p>Guarantees, per served topic:
 * <ol>
 *   <li>A message is redelivered only when the tracker has read its markers partition past the message's deadline
 *       (the <em>clock rule</em>): an END written before the deadline has then been read, so an acknowledged message
 *       is never redelivered, also not after a tracker restart or while its state is restored.</li>
 *   <li>An idle markers partition is proven caught up by a TICK marker the tracker writes (outside the transaction:
 *       a tick carries no state) as soon as a deadline passes, and reads back.</li>
 *   <li>The redelivery (or dead letter), the END marker of the old delivery and the state change commit in one
 *       exactly-once transaction: after a crash each due message is redelivered exactly once.</li>
 *   <li>A redelivered message carries {@code kmq-redelivery-count}; once it reaches
 *       {@link KmqConfig#maxRedeliveries()}, the next timeout or release sends it to the dead-letter topic.</li>
 * </ol>
 * Several instances with the same application id share the markers partitions, like any Streams application.
 */
public final class RedeliveryTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryTracker.class);

    private final String applicationId;
    private final KafkaStreams streams;
    /** The tick writer, closed after Streams. */
    private final AutoCloseable ticks;
    private final TrackerStats stats;
    private final Set<String> markersTopics;
    private final Duration closeTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedeliveryTracker(String applicationId, KafkaStreams streams, AutoCloseable ticks, TrackerStats stats,
                              Set<String> markersTopics, Duration closeTimeout) {
        this.applicationId = applicationId;
        this.streams = streams;
        this.ticks = ticks;
        this.stats = stats;
        this.markersTopics = markersTopics;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Starts a tracker with default {@link TrackerSettings} serving {@code configs}; returns once Kafka Streams has
     * started (joining the group continues in the background, see {@link #state()}).
     *
     * @throws ConfigException if no config is given, two configs share a topic, or they name different clusters
     * @throws io.kmq.KmqException if a topic is missing or invalid, see {@link KmqAdmin#validate}
     */
    public static RedeliveryTracker start(KmqConfig... configs) {
        return start(TrackerSettings.defaults(), configs);
    }

    /**
     * Starts a tracker with {@code settings} serving {@code configs}; see {@link #start(KmqConfig...)}.
     *
     * @throws ConfigException if no config is given, two configs share a topic, or they name different clusters
     * @throws io.kmq.KmqException if a topic is missing or invalid, see {@link KmqAdmin#validate}
     */
    public static RedeliveryTracker start(TrackerSettings settings, KmqConfig... configs) {
        Objects.requireNonNull(settings, "settings");
        return start(settings, checkConfigs(configs),
                connection -> KafkaRecordReader.factory(connection, settings.readerPollTimeout()));
    }

    /**
     * Starts a tracker whose messages are read back by readers from {@code readers} (given the connection
     * properties), so tests can substitute a failing or slow reader.
     */
    static RedeliveryTracker start(TrackerSettings settings, List<KmqConfig> configs,
                                   Function<Map<String, Object>, RecordReader.Factory> readers) {
        return start(settings, configs, readers, false);
    }

    /**
     * Starts a tracker; with {@code punctuationOnly} it acts only at punctuations and writes ticks in its
     * transaction, as before the latency work of issue #4 (for measurements side by side with the current way).
     */
    static RedeliveryTracker start(TrackerSettings settings, List<KmqConfig> configs,
                                   Function<Map<String, Object>, RecordReader.Factory> readers,
                                   boolean punctuationOnly) {
        Map<String, Object> connection = StreamsProperties.connection(configs);
        String applicationId = settings.applicationIdFor(configs.get(0));
        validateTopics(configs);
        TrackerStats stats = new TrackerStats(configs.stream().map(KmqConfig::topic).toList());
        Ticker ticker = punctuationOnly ? null : Ticker.create(connection, applicationId + "-ticks");
        AutoCloseable ticks = ticker == null ? () -> { } : ticker;
        KafkaStreams streams;
        try {
            Topology topology = TrackerTopology.build(configs, new TrackerTopology.Options(
                    settings.punctuationInterval(), settings.maxActionsPerPunctuation(), !punctuationOnly,
                    settings.commitInterval()),
                    readers.apply(connection), ticker == null ? PunctuatedTicks.FACTORY : ticker, stats);
            streams = new KafkaStreams(topology, StreamsProperties.streams(settings, applicationId, connection),
                    new PacedClientSupplier(punctuationOnly ? Duration.ZERO : settings.maxReadDelay()));
        } catch (RuntimeException e) {
            Closer.closeAll(e, ticks);
            throw e;
        }
        streams.setUncaughtExceptionHandler(new ThreadReplacementPolicy(applicationId));
        streams.setStateListener((next, previous) -> log.info("Tracker {}: {} -> {}", applicationId, previous, next));
        Set<String> markersTopics = new HashSet<>();
        configs.forEach(c -> markersTopics.add(c.markersTopic()));
        try {
            streams.start();
        } catch (RuntimeException e) {
            Closer.closeAll(e, streams, ticks);
            throw e;
        }
        log.info("Tracker {} started for {}", applicationId, configs);
        return new RedeliveryTracker(applicationId, streams, ticks, stats, Set.copyOf(markersTopics),
                settings.closeTimeout());
    }

    /** Fails fast, naming the topic, when a topic is missing or the markers topic does not fit the message topic. */
    private static void validateTopics(List<KmqConfig> configs) {
        for (KmqConfig config : configs) {
            try (KmqAdmin admin = KmqAdmin.create(config)) {
                admin.validate(config);
            }
        }
    }

    private static List<KmqConfig> checkConfigs(KmqConfig... configs) {
        Objects.requireNonNull(configs, "configs");
        if (configs.length == 0) {
            throw new ConfigException("No KmqConfig given (expected: at least one topic to serve)");
        }
        List<KmqConfig> list = new ArrayList<>(Arrays.asList(configs));
        Set<String> used = new HashSet<>();
        for (KmqConfig config : list) {
            Objects.requireNonNull(config, "configs contains null");
            for (String topic : List.of(config.topic(), config.markersTopic())) {
                if (!used.add(topic)) {
                    throw new ConfigException("Topic '" + topic + "' is used by two served KmqConfigs (expected: "
                            + "each kmq topic and markers topic served once)");
                }
            }
        }
        for (KmqConfig config : list) {
            if (used.contains(config.deadLetterTopic())) {
                throw new ConfigException("Dead-letter topic '" + config.deadLetterTopic() + "' of kmq.topic '"
                        + config.topic() + "' is also a served message or markers topic (expected: distinct)");
            }
        }
        return list;
    }

    /** The Kafka Streams application id: the tracker's consumer group and internal topic prefix. */
    public String applicationId() {
        return applicationId;
    }

    /** The current life-cycle state. */
    public TrackerState state() {
        return TrackerState.of(streams.state());
    }

    /**
     * Whether the tracker is {@link TrackerState#RUNNING} and has read every marker of the partitions it owns (markers
     * lag 0): what a health check should ask.
     */
    public boolean isCaughtUp() {
        return state() == TrackerState.RUNNING && MarkersLag.of(streams, markersTopics) == 0;
    }

    /** A snapshot of the metrics, summed over the served topics. */
    public TrackerMetrics metrics() {
        long inFlight = 0;
        long oldestStart = Long.MAX_VALUE;
        long redeliveries = 0;
        long deadLettered = 0;
        long skipped = 0;
        long ticks = 0;
        for (TopicStats topic : stats.topics()) {
            inFlight += topic.inFlight();
            oldestStart = Math.min(oldestStart, topic.oldestFirstStart());
            redeliveries += topic.redeliveries();
            deadLettered += topic.deadLetters();
            skipped += topic.skippedMarkers();
            ticks += topic.ticks();
        }
        Duration oldestAge = oldestStart == Long.MAX_VALUE ? Duration.ZERO
                : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldestStart));
        long lag = streams.state() == KafkaStreams.State.RUNNING ? MarkersLag.of(streams, markersTopics)
                : MarkersLag.UNKNOWN;
        return new TrackerMetrics(inFlight, oldestAge, redeliveries, deadLettered, skipped, lag, ticks);
    }

    /**
     * Registers the tracker's meters ({@code kmq.tracker.*}, tagged with the application id and, per served topic,
     * the topic) in {@code registry}. Needs micrometer-core on the class path.
     */
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        TrackerMeters.bind(registry, applicationId, stats, this::isCaughtUp,
                () -> streams.state() == KafkaStreams.State.RUNNING ? MarkersLag.of(streams, markersTopics)
                        : MarkersLag.UNKNOWN);
    }

    /**
     * Stops the tracker: commits, leaves the group so others take over at once, and closes its clients, waiting at
     * most {@link TrackerSettings#closeTimeout()}. A second call does nothing.
     */
    @Override
    public void close() {
        close(closeTimeout);
    }

    /**
     * Stops the tracker like {@link #close()}, waiting at most {@code timeout}.
     *
     * @return whether everything stopped within the timeout
     */
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        boolean stopped;
        try {
            stopped = streams.close(CloseOptions.timeout(timeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } finally {
            Closer.closeAll(null, ticks);
        }
        if (stopped) {
            log.info("Tracker {} stopped", applicationId);
        } else {
            log.warn("Tracker {} did not stop within {}", applicationId, timeout);
        }
        return stopped;
    }

    @Override
    public String toString() {
        return "RedeliveryTracker{applicationId=" + applicationId + ", state=" + state() + "}";
    }
}
