package io.kmq;

import io.kmq.internal.ConfigRules;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;

/**
 * Immutable settings of one kmq queue: the message topic, its markers and dead-letter topics, the consumer group and
 * the timeouts, plus pass-through Kafka client properties. Built with {@link #builder()} or from
 * {@link #from(Map) properties}; every {@code kmq.*} key is defined once below with its documentation, default and
 * validator.
 *
 * <p>Keys that do not start with {@code kmq.} are passed to the Kafka clients kmq creates (consumer, producer, admin).
 * The settings kmq's guarantees depend on are fixed: {@code enable.auto.commit=false},
 * {@code isolation.level=read_committed}, {@code acks=all} and {@code enable.idempotence=true}. Setting one of them
 * to another value is an error that names the key, never silently overridden.
 */
public final class KmqConfig {

    /** Key of {@link #topic()}. */
    public static final String TOPIC_CONFIG = "kmq.topic";
    private static final String TOPIC_DOC = "The message topic: the topic the KmqClient consumes and the tracker "
            + "redelivers to.";

    /** Key of {@link #groupId()}. */
    public static final String GROUP_ID_CONFIG = "kmq.group.id";
    private static final String GROUP_ID_DOC = "The consumer group of the KmqClient instances reading the message "
            + "topic. Used as the Kafka group.id.";

    /** Key of {@link #markersTopic()}. */
    public static final String MARKERS_TOPIC_CONFIG = "kmq.markers.topic";
    private static final String MARKERS_TOPIC_DOC = "The markers topic. It must have as many partitions as the "
            + "message topic and use message.timestamp.type=LogAppendTime. Empty means '<kmq.topic>__markers'.";

    /** Key of {@link #deadLetterTopic()}. */
    public static final String DEAD_LETTER_TOPIC_CONFIG = "kmq.dead.letter.topic";
    private static final String DEAD_LETTER_TOPIC_DOC = "Where messages go after kmq.max.redeliveries or when "
            + "rejected. Empty means '<kmq.topic>__undelivered'.";

    /** Key of {@link #messageTimeout()}. */
    public static final String MESSAGE_TIMEOUT_MS_CONFIG = "kmq.message.timeout.ms";
    private static final String MESSAGE_TIMEOUT_MS_DOC = "How long a processor may hold a message before it is "
            + "redelivered, counted from the broker's timestamp of its START marker.";
    /** Default of {@link #MESSAGE_TIMEOUT_MS_CONFIG}: 30 s. */
    public static final long DEFAULT_MESSAGE_TIMEOUT_MS = 30_000L;

    /** Key of {@link #maxRedeliveries()}. */
    public static final String MAX_REDELIVERIES_CONFIG = "kmq.max.redeliveries";
    private static final String MAX_REDELIVERIES_DOC = "How many times a message is redelivered (after a timeout or "
            + "a release) before it goes to the dead-letter topic. 0 dead-letters at the first timeout.";
    /** Default of {@link #MAX_REDELIVERIES_CONFIG}. */
    public static final int DEFAULT_MAX_REDELIVERIES = 3;

    /** Key of {@link #maxInFlight()}. */
    public static final String MAX_IN_FLIGHT_CONFIG = "kmq.max.in.flight";
    private static final String MAX_IN_FLIGHT_DOC = "How many records one KmqClient may have handed out and not yet "
            + "seen processed, released or rejected. At the limit nextBatch pauses its partitions instead of polling "
            + "more (backpressure).";
    /** Default of {@link #MAX_IN_FLIGHT_CONFIG}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    /** Key of {@link #markerRanges()}. */
    public static final String MARKER_RANGES_CONFIG = "kmq.marker.ranges";
    private static final String MARKER_RANGES_DOC = "Whether the client writes range markers: one START_RANGE per run "
            + "of consecutive offsets of a batch, and acknowledgments coalesced into END_RANGE markers. false writes "
            + "one START and one END per message, readable by the original softwaremill/kmq tracker; the tracker must "
            + "understand range markers (types 6 and 7) before this is enabled.";
    /** Default of {@link #MARKER_RANGES_CONFIG}. */
    public static final boolean DEFAULT_MARKER_RANGES = true;

    /** Key of {@link #ackFlushInterval()}. */
    public static final String ACK_FLUSH_INTERVAL_MS_CONFIG = "kmq.ack.flush.interval.ms";
    private static final String ACK_FLUSH_INTERVAL_MS_DOC = "With kmq.marker.ranges, the longest an acknowledgment "
            + "(processed) waits to be coalesced with others into one END_RANGE marker: acknowledgments are written "
            + "at this interval (sooner when 64 markers are ready) and on close, each contiguous stretch of a "
            + "partition as one marker, across the runs handed out in that time. 0 writes every acknowledgment at "
            + "once as an END marker. Must be less than kmq.message.timeout.ms.";
    /**
     * Default of {@link #ACK_FLUSH_INTERVAL_MS_CONFIG}: 20 ms. Shorter intervals wake the flusher, the marker producer
     * and the broker more often for the same markers: with 5 ms a pre-populated drain ran at a median 0.77 of a plain
     * consumer's speed against 0.84 with 20 ms, on two cores (README, Performance).
     */
    public static final long DEFAULT_ACK_FLUSH_INTERVAL_MS = 20L;

    /** Key of {@link #coalesceStarts()}. */
    public static final String START_COALESCE_CONFIG = "kmq.start.coalesce";
    private static final String START_COALESCE_DOC = "With kmq.marker.ranges, kmq.start.await=commit and a positive "
            + "kmq.ack.flush.interval.ms (the defaults): whether the START_RANGE marker of a partition's run is held "
            + "open while the following polls continue it, and written as one marker covering them all, at the latest "
            + "after kmq.ack.flush.interval.ms and always before any other marker about those records. Far fewer START "
            + "markers for the broker and the tracker when polls are frequent; the offset commit, and the deadline, "
            + "of a record move by that interval at most. Ignored in the other modes (a hand-out that waits for its "
            + "START never has it held back).";
    /** Default of {@link #START_COALESCE_CONFIG}. */
    public static final boolean DEFAULT_START_COALESCE = true;

    /** Key of {@link #skipStartsOfProcessed()}. */
    public static final String START_SKIP_PROCESSED_CONFIG = "kmq.start.skip.processed";
    private static final String START_SKIP_PROCESSED_DOC = "With kmq.start.coalesce in effect: whether the records "
            + "of a held-open START_RANGE that are processed before it is written get no START and no END marker at "
            + "all (the START is written only for the records still unacknowledged, as one marker per stretch of "
            + "them). The tracker never needs to know a record that was processed before anything could time it "
            + "out, and its offset is committed like the others, after the acknowledgment; so an application that "
            + "acknowledges within kmq.ack.flush.interval.ms writes almost no markers. false writes a START and an END "
            + "for every record.";
    /** Default of {@link #START_SKIP_PROCESSED_CONFIG}. */
    public static final boolean DEFAULT_START_SKIP_PROCESSED = true;

    /** Key of {@link #commitInterval()}. */
    public static final String COMMIT_INTERVAL_MS_CONFIG = "kmq.commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "The least time between two asynchronous offset commits of "
            + "the KmqClient: the offsets of batches handed out in between go with the next commit (sent by a later "
            + "nextBatch), and offsets not yet committed are committed synchronously on revocation and close. Longer "
            + "means fewer commit requests and, after a crash, more records polled again (duplicates, never loss: a "
            + "commit only ever covers records whose START marker is durable). 0 commits every batch.";
    /** Default of {@link #COMMIT_INTERVAL_MS_CONFIG}: 100 ms. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100L;

    /** Key of {@link #prefetchBatches()}. */
    public static final String PREFETCH_BATCHES_CONFIG = "kmq.prefetch.batches";
    private static final String PREFETCH_BATCHES_DOC = "With kmq.start.await=handout: how many batches nextBatch "
            + "polls ahead and sends the START markers of before it hands them out, so that their round trip to the "
            + "broker overlaps the application's processing (pipelining); within the room kmq.max.in.flight leaves. "
            + "Prefetched records are committed once their START markers are durable; on revocation and close, "
            + "prefetched records never handed out are committed back, get END markers and are polled again by the "
            + "partition's next owner. 0 disables prefetching: each batch waits for its own START markers. Unused "
            + "with kmq.start.await=commit, which never waits before a hand-out.";
    /** Default of {@link #PREFETCH_BATCHES_CONFIG}. */
    public static final int DEFAULT_PREFETCH_BATCHES = 4;

    /** Key of {@link #awaitStartBeforeHandout()}. */
    public static final String START_AWAIT_CONFIG = "kmq.start.await";
    /** {@value #START_AWAIT_CONFIG}: START markers are acknowledged before their records are handed out. */
    public static final String START_AWAIT_HANDOUT = "handout";
    /** {@value #START_AWAIT_CONFIG}: records are handed out at once; their START markers are awaited before commit. */
    public static final String START_AWAIT_COMMIT = "commit";
    private static final String START_AWAIT_DOC = "What waits for a batch's START markers to be acknowledged. 'commit' "
            + "(default): the records are handed out at once, and their offsets are committed only once their START "
            + "markers, and those of every record polled before them, are durable; a START that fails makes the next "
            + "nextBatch throw, and the records handed out from that one on are delivered again. 'handout': as the "
            + "original kmq, a batch is handed out only once its START markers are durable (a broker round trip per "
            + "batch, hidden by kmq.prefetch.batches). Both are at-least-once: a committed offset never covers a "
            + "record without a durable START marker.";
    /** Default of {@link #START_AWAIT_CONFIG}. */
    public static final String DEFAULT_START_AWAIT = START_AWAIT_COMMIT;

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TOPIC_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigRules.TOPIC_NAME,
                    Importance.HIGH, TOPIC_DOC)
            .define(GROUP_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, GROUP_ID_DOC)
            .define(MARKERS_TOPIC_CONFIG, Type.STRING, "", ConfigRules.OPTIONAL_TOPIC_NAME,
                    Importance.MEDIUM, MARKERS_TOPIC_DOC)
            .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "", ConfigRules.OPTIONAL_TOPIC_NAME,
                    Importance.MEDIUM, DEAD_LETTER_TOPIC_DOC)
            .define(MESSAGE_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_MESSAGE_TIMEOUT_MS, ConfigDef.Range.atLeast(1),
                    Importance.HIGH, MESSAGE_TIMEOUT_MS_DOC)
            .define(MAX_REDELIVERIES_CONFIG, Type.INT, DEFAULT_MAX_REDELIVERIES, ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM, MAX_REDELIVERIES_DOC)
            .define(MAX_IN_FLIGHT_CONFIG, Type.INT, DEFAULT_MAX_IN_FLIGHT, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, MAX_IN_FLIGHT_DOC)
            .define(MARKER_RANGES_CONFIG, Type.BOOLEAN, DEFAULT_MARKER_RANGES, Importance.MEDIUM, MARKER_RANGES_DOC)
            .define(ACK_FLUSH_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_ACK_FLUSH_INTERVAL_MS,
                    ConfigDef.Range.between(0, 60_000), Importance.LOW, ACK_FLUSH_INTERVAL_MS_DOC)
            .define(START_COALESCE_CONFIG, Type.BOOLEAN, DEFAULT_START_COALESCE, Importance.LOW, START_COALESCE_DOC)
            .define(START_SKIP_PROCESSED_CONFIG, Type.BOOLEAN, DEFAULT_START_SKIP_PROCESSED, Importance.LOW,
                    START_SKIP_PROCESSED_DOC)
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_COMMIT_INTERVAL_MS,
                    ConfigDef.Range.between(0, 3_600_000), Importance.LOW, COMMIT_INTERVAL_MS_DOC)
            .define(PREFETCH_BATCHES_CONFIG, Type.INT, DEFAULT_PREFETCH_BATCHES, ConfigDef.Range.between(0, 64),
                    Importance.LOW, PREFETCH_BATCHES_DOC)
            .define(START_AWAIT_CONFIG, Type.STRING, DEFAULT_START_AWAIT,
                    ConfigDef.ValidString.in(START_AWAIT_COMMIT, START_AWAIT_HANDOUT), Importance.MEDIUM,
                    START_AWAIT_DOC);

    private final String topic;
    private final String groupId;
    private final String markersTopic;
    private final String deadLetterTopic;
    private final Duration messageTimeout;
    private final int maxRedeliveries;
    private final int maxInFlight;
    private final boolean markerRanges;
    private final Duration ackFlushInterval;
    private final boolean startCoalesce;
    private final boolean startSkipProcessed;
    private final int prefetchBatches;
    private final boolean awaitStartBeforeHandout;
    private final Duration commitInterval;
    private final Map<String, Object> kafkaProperties;
    private final Map<String, Object> originals;

    private KmqConfig(Map<String, ?> properties) {
        Map<String, Object> kmqKeys = new HashMap<>();
        Map<String, Object> kafkaKeys = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("kmq.")) {
                kmqKeys.put(key, value);
            } else {
                kafkaKeys.put(key, value);
            }
        });
        ConfigRules.rejectUnknownKmqKeys(kmqKeys.keySet(), CONFIG_DEF.names());
        AbstractConfig parsed = new AbstractConfig(CONFIG_DEF, kmqKeys, false);
        this.topic = parsed.getString(TOPIC_CONFIG);
        this.groupId = parsed.getString(GROUP_ID_CONFIG);
        this.markersTopic = orDefault(parsed.getString(MARKERS_TOPIC_CONFIG), topic + "__markers");
        this.deadLetterTopic = orDefault(parsed.getString(DEAD_LETTER_TOPIC_CONFIG), topic + "__undelivered");
        this.messageTimeout = Duration.ofMillis(parsed.getLong(MESSAGE_TIMEOUT_MS_CONFIG));
        this.maxRedeliveries = parsed.getInt(MAX_REDELIVERIES_CONFIG);
        this.maxInFlight = parsed.getInt(MAX_IN_FLIGHT_CONFIG);
        this.markerRanges = parsed.getBoolean(MARKER_RANGES_CONFIG);
        this.ackFlushInterval = Duration.ofMillis(parsed.getLong(ACK_FLUSH_INTERVAL_MS_CONFIG));
        this.startCoalesce = parsed.getBoolean(START_COALESCE_CONFIG);
        this.startSkipProcessed = parsed.getBoolean(START_SKIP_PROCESSED_CONFIG);
        this.prefetchBatches = parsed.getInt(PREFETCH_BATCHES_CONFIG);
        this.awaitStartBeforeHandout = parsed.getString(START_AWAIT_CONFIG).equals(START_AWAIT_HANDOUT);
        this.commitInterval = Duration.ofMillis(parsed.getLong(COMMIT_INTERVAL_MS_CONFIG));
        ConfigRules.requireDistinctTopics(topic, markersTopic, deadLetterTopic);
        ConfigRules.requireBelow(ACK_FLUSH_INTERVAL_MS_CONFIG, ackFlushInterval, MESSAGE_TIMEOUT_MS_CONFIG,
                messageTimeout);
        ConfigRules.checkKafkaProperties(kafkaKeys, groupId);
        this.kafkaProperties = Collections.unmodifiableMap(kafkaKeys);
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Parses and validates settings given as a map of {@code kmq.*} keys and Kafka client properties.
     *
     * @throws ConfigException naming the key, the value and what was expected, if a setting is missing or invalid
     */
    public static KmqConfig from(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        return new KmqConfig(properties);
    }

    /**
     * Parses and validates settings given as {@link Properties}, as loaded from a {@code kmq.properties} file.
     *
     * @throws ConfigException naming the key, the value and what was expected, if a setting is missing or invalid
     */
    public static KmqConfig from(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        return new KmqConfig(Utils.propsToMap(properties));
    }

    /** A builder with every setting at its default; topic, group and bootstrap servers must be set. */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /** A builder starting from this configuration's settings. */
    public Builder toBuilder() {
        return new Builder(originals);
    }

    /** The definitions of every {@code kmq.*} key, with documentation, defaults and validators. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The message topic. */
    public String topic() {
        return topic;
    }

    /** The consumer group of the KmqClient instances. */
    public String groupId() {
        return groupId;
    }

    /** The markers topic. */
    public String markersTopic() {
        return markersTopic;
    }

    /** The dead-letter topic. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** How long a processor may hold a message before it is redelivered. */
    public Duration messageTimeout() {
        return messageTimeout;
    }

    /** How many redeliveries a message gets before it is dead-lettered. */
    public int maxRedeliveries() {
        return maxRedeliveries;
    }

    /** How many unacknowledged records one client may hold before it stops polling. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Whether the client writes range markers (START_RANGE, END_RANGE) instead of one START and END per message. */
    public boolean markerRanges() {
        return markerRanges;
    }

    /** The longest an acknowledgment waits to be coalesced into an END_RANGE marker; zero writes each at once. */
    public Duration ackFlushInterval() {
        return ackFlushInterval;
    }

    /**
     * Whether START_RANGE markers of consecutive polls are merged while {@link #ackFlushInterval()} passes: true when
     * {@value #START_COALESCE_CONFIG} is set and the mode allows it (range markers, a positive flush interval,
     * {@value #START_AWAIT_CONFIG} {@value #START_AWAIT_COMMIT}).
     */
    public boolean coalesceStarts() {
        return startCoalesce && markerRanges && !ackFlushInterval.isZero() && !awaitStartBeforeHandout;
    }

    /**
     * Whether records processed while their START_RANGE is held open get neither a START nor an END marker: true when
     * {@value #START_SKIP_PROCESSED_CONFIG} is set and START markers are coalesced ({@link #coalesceStarts()}).
     */
    public boolean skipStartsOfProcessed() {
        return startSkipProcessed && coalesceStarts();
    }

    /** The least time between two asynchronous offset commits; zero commits every batch. */
    public Duration commitInterval() {
        return commitInterval;
    }

    /** How many batches nextBatch polls ahead (sending their START markers) before handing them out; 0 for none. */
    public int prefetchBatches() {
        return prefetchBatches;
    }

    /**
     * Whether a batch is handed out only once its START markers are acknowledged ({@value #START_AWAIT_CONFIG}
     * {@value #START_AWAIT_HANDOUT}); false hands it out at once and awaits them before committing its offsets.
     */
    public boolean awaitStartBeforeHandout() {
        return awaitStartBeforeHandout;
    }

    /** The pass-through Kafka client properties (every key not starting with {@code kmq.}), unmodifiable. */
    public Map<String, Object> kafkaProperties() {
        return kafkaProperties;
    }

    /** The settings as given, unmodifiable. */
    public Map<String, Object> originals() {
        return originals;
    }

    @Override
    public String toString() {
        return "KmqConfig{topic=" + topic + ", group=" + groupId + ", markers=" + markersTopic + ", deadLetter="
                + deadLetterTopic + ", messageTimeout=" + messageTimeout + ", maxRedeliveries=" + maxRedeliveries
                + ", maxInFlight=" + maxInFlight + ", markerRanges=" + markerRanges + ", ackFlushInterval="
                + ackFlushInterval + ", startCoalesce=" + startCoalesce + ", startSkipProcessed=" + startSkipProcessed
                + ", prefetchBatches=" + prefetchBatches
                + ", startAwait=" + (awaitStartBeforeHandout ? START_AWAIT_HANDOUT : START_AWAIT_COMMIT)
                + ", commitInterval=" + commitInterval + "}";
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Builds a {@link KmqConfig}; {@link #build()} validates, the setters only record. */
    public static final class Builder {
        private final Map<String, Object> properties;

        private Builder(Map<String, Object> initial) {
            this.properties = new LinkedHashMap<>(initial);
        }

        /** Sets {@value KmqConfig#TOPIC_CONFIG}. */
        public Builder topic(String topic) {
            return set(TOPIC_CONFIG, topic);
        }

        /** Sets {@value KmqConfig#GROUP_ID_CONFIG}. */
        public Builder groupId(String groupId) {
            return set(GROUP_ID_CONFIG, groupId);
        }

        /** Sets {@value KmqConfig#MARKERS_TOPIC_CONFIG}. */
        public Builder markersTopic(String markersTopic) {
            return set(MARKERS_TOPIC_CONFIG, markersTopic);
        }

        /** Sets {@value KmqConfig#DEAD_LETTER_TOPIC_CONFIG}. */
        public Builder deadLetterTopic(String deadLetterTopic) {
            return set(DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic);
        }

        /** Sets {@value KmqConfig#MESSAGE_TIMEOUT_MS_CONFIG}. */
        public Builder messageTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            return set(MESSAGE_TIMEOUT_MS_CONFIG, timeout.toMillis());
        }

        /** Sets {@value KmqConfig#MAX_REDELIVERIES_CONFIG}. */
        public Builder maxRedeliveries(int maxRedeliveries) {
            return set(MAX_REDELIVERIES_CONFIG, maxRedeliveries);
        }

        /** Sets {@value KmqConfig#MAX_IN_FLIGHT_CONFIG}. */
        public Builder maxInFlight(int maxInFlight) {
            return set(MAX_IN_FLIGHT_CONFIG, maxInFlight);
        }

        /** Sets {@value KmqConfig#MARKER_RANGES_CONFIG}. */
        public Builder markerRanges(boolean markerRanges) {
            return set(MARKER_RANGES_CONFIG, markerRanges);
        }

        /** Sets {@value KmqConfig#ACK_FLUSH_INTERVAL_MS_CONFIG}. */
        public Builder ackFlushInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            return set(ACK_FLUSH_INTERVAL_MS_CONFIG, interval.toMillis());
        }

        /** Sets {@value KmqConfig#START_COALESCE_CONFIG}. */
        public Builder startCoalesce(boolean coalesce) {
            return set(START_COALESCE_CONFIG, coalesce);
        }

        /** Sets {@value KmqConfig#START_SKIP_PROCESSED_CONFIG}. */
        public Builder startSkipProcessed(boolean skip) {
            return set(START_SKIP_PROCESSED_CONFIG, skip);
        }

        /** Sets {@value KmqConfig#COMMIT_INTERVAL_MS_CONFIG}. */
        public Builder commitInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            return set(COMMIT_INTERVAL_MS_CONFIG, interval.toMillis());
        }

        /** Sets {@value KmqConfig#START_AWAIT_CONFIG}: {@code true} for "handout", {@code false} for "commit". */
        public Builder awaitStartBeforeHandout(boolean beforeHandout) {
            return set(START_AWAIT_CONFIG, beforeHandout ? START_AWAIT_HANDOUT : START_AWAIT_COMMIT);
        }

        /** Sets {@value KmqConfig#PREFETCH_BATCHES_CONFIG}. */
        public Builder prefetchBatches(int batches) {
            return set(PREFETCH_BATCHES_CONFIG, batches);
        }

        /** Sets the Kafka {@code bootstrap.servers} of every client kmq creates. */
        public Builder bootstrapServers(String bootstrapServers) {
            return set("bootstrap.servers", bootstrapServers);
        }

        /** Sets any setting: a {@code kmq.*} key or a pass-through Kafka client property. */
        public Builder set(String key, Object value) {
            Objects.requireNonNull(key, "key");
            properties.put(key, value);
            return this;
        }

        /**
         * Validates the settings and builds the configuration.
         *
         * @throws ConfigException naming the key, the value and what was expected, if a setting is missing or invalid
         */
        public KmqConfig build() {
            return new KmqConfig(properties);
        }
    }
}
