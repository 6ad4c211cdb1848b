package io.kmq.redelivery;

import io.kmq.KmqConfig;
import io.kmq.internal.ConfigRules;
import io.kmq.redelivery.internal.SettingsRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Immutable settings of a {@link RedeliveryTracker} (the Kafka Streams application), as opposed to the settings of
 * the kmq topics it serves ({@link KmqConfig}). Built with {@link #builder()} or from {@link #from(Map) properties};
 * every {@code kmq.tracker.*} key is defined once below with its documentation, default and validator.
 *
 * <p>{@link #from(Map)} reads only keys starting with {@value #PREFIX}, so one {@code kmq.properties} file can hold
 * both these and the {@link KmqConfig} settings. Keys starting with {@value #STREAMS_PREFIX} are passed to Kafka
 * Streams with the prefix removed (e.g. {@code kmq.tracker.streams.num.stream.threads}), except the settings the
 * tracker owns.
 */
public final class TrackerSettings {

    /** Prefix of every tracker setting. */
    public static final String PREFIX = "kmq.tracker.";
    /** Prefix of Kafka Streams properties passed through to the tracker's Streams application. */
    public static final String STREAMS_PREFIX = PREFIX + "streams.";

    /** Key of {@link #applicationId()}. */
    public static final String APPLICATION_ID_CONFIG = PREFIX + "application.id";
    private static final String APPLICATION_ID_DOC = "The Kafka Streams application.id: names the tracker's consumer "
            + "group, internal topics and state directory. Tracker instances with the same id share the markers "
            + "partitions between them. Empty means '<kmq.group.id of the first served topic>__kmq-tracker'.";

    /** Key of {@link #punctuationInterval()}. */
    public static final String PUNCTUATION_INTERVAL_MS_CONFIG = PREFIX + "punctuation.interval.ms";
    private static final String PUNCTUATION_INTERVAL_MS_DOC = "How often (wall-clock) each markers partition is "
            + "checked for due messages and for a tick to re-send. Due messages are also acted on as soon as a "
            + "marker read proves them due, and ticks are sent when a deadline passes, so this is a fallback.";
    /** Default of {@link #PUNCTUATION_INTERVAL_MS_CONFIG}. */
    public static final long DEFAULT_PUNCTUATION_INTERVAL_MS = 100;

    /** Key of {@link #commitInterval()}. */
    public static final String COMMIT_INTERVAL_MS_CONFIG = PREFIX + "commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "How soon redeliveries become visible: after an act "
            + "that wrote redeliveries or dead letters (or found due messages behind its own open transaction), the "
            + "stream thread asks for an exactly-once commit, at most this often (ticks are written outside the "
            + "transaction). 50 ms keeps the p99 redelivery delay within 200 ms of the timeout on a 2-core machine "
            + "(100 ms: about 200 ms).";
    /** Default of {@link #COMMIT_INTERVAL_MS_CONFIG}. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 50;

    /** Key of {@link #stateCommitInterval()}. */
    public static final String STATE_COMMIT_INTERVAL_MS_CONFIG = PREFIX + "state.commit.interval.ms";
    private static final String STATE_COMMIT_INTERVAL_MS_DOC = "The Kafka Streams commit.interval.ms: how often "
            + "the markers read and the state they changed are committed when nothing was redelivered. Each "
            + "exactly-once commit costs the broker several requests and log writes, so under a steady flow of "
            + "markers a longer interval takes CPU from the broker and the tracker; an entry started and ended within "
            + "one interval is never written to the changelog. After a crash, the markers read since the last commit "
            + "are read again (nothing is redelivered twice). Must be below the transaction timeout (Streams' "
            + "exactly-once default 10 s; raise it with kmq.tracker.streams.producer.transaction.timeout.ms).";
    /** Default of {@link #STATE_COMMIT_INTERVAL_MS_CONFIG}. */
    public static final long DEFAULT_STATE_COMMIT_INTERVAL_MS = 1000;
    /** The producer's transaction.timeout.ms that Kafka Streams sets under exactly-once unless it is given. */
    static final long STREAMS_EOS_TRANSACTION_TIMEOUT_MS = 10_000;

    /** Key of {@link #maxReadDelay()}. */
    public static final String MAX_READ_DELAY_MS_CONFIG = PREFIX + "max.read.delay.ms";
    private static final String MAX_READ_DELAY_MS_DOC = "How long a stream thread may leave new markers unread while "
            + "nothing it tracks is due sooner: it then reads them in batches a few times per second instead of at "
            + "every fetch, which halves the tracker's CPU under a steady flow of markers. Known deadlines are not "
            + "delayed (the thread reads again in time to prove them), and for a second after a release or reject "
            + "the markers are read at once; but the first release after a quiet second whose delay is shorter than "
            + "this, or a message timeout shorter than it, may be acted on up to this much later. 0 reads markers as "
            + "soon as they are fetched.";
    /** Default of {@link #MAX_READ_DELAY_MS_CONFIG}. */
    public static final long DEFAULT_MAX_READ_DELAY_MS = 200;

    /** Key of {@link #numStandbyReplicas()}. */
    public static final String NUM_STANDBY_REPLICAS_CONFIG = PREFIX + "num.standby.replicas";
    private static final String NUM_STANDBY_REPLICAS_DOC = "The Kafka Streams num.standby.replicas: warm copies of "
            + "the state on other instances, for fast failover.";

    /** Key of {@link #numStreamThreads()}. */
    public static final String NUM_STREAM_THREADS_CONFIG = PREFIX + "num.stream.threads";
    private static final String NUM_STREAM_THREADS_DOC = "The Kafka Streams num.stream.threads of this instance.";

    /** Key of {@link #stateDir()}. */
    public static final String STATE_DIR_CONFIG = PREFIX + "state.dir";
    private static final String STATE_DIR_DOC = "The Kafka Streams state.dir, where the RocksDB stores live. Empty "
            + "means the Kafka Streams default (<java.io.tmpdir>/kafka-streams).";

    /** Key of {@link #replicationFactor()}. */
    public static final String REPLICATION_FACTOR_CONFIG = PREFIX + "replication.factor";
    private static final String REPLICATION_FACTOR_DOC = "Replication factor of the tracker's internal (changelog) "
            + "topics; -1 means the broker's default.replication.factor.";

    /** Key of {@link #readerPollTimeout()}. */
    public static final String READER_POLL_TIMEOUT_MS_CONFIG = PREFIX + "reader.poll.timeout.ms";
    private static final String READER_POLL_TIMEOUT_MS_DOC = "How long reading due messages back from the message "
            + "topic may take per punctuation; what is not read by then is retried at the next punctuation.";
    /** Default of {@link #READER_POLL_TIMEOUT_MS_CONFIG}. */
    public static final long DEFAULT_READER_POLL_TIMEOUT_MS = 2_000;

    /** Key of {@link #maxActionsPerPunctuation()}. */
    public static final String MAX_ACTIONS_PER_PUNCTUATION_CONFIG = PREFIX + "max.actions.per.punctuation";
    private static final String MAX_ACTIONS_PER_PUNCTUATION_DOC = "How many due messages one markers partition "
            + "redelivers or dead-letters per punctuation at most, bounding the size of one transaction.";
    /** Default of {@link #MAX_ACTIONS_PER_PUNCTUATION_CONFIG}. */
    public static final int DEFAULT_MAX_ACTIONS_PER_PUNCTUATION = 1_000;

    /** Key of {@link #closeTimeout()}. */
    public static final String CLOSE_TIMEOUT_MS_CONFIG = PREFIX + "close.timeout.ms";
    private static final String CLOSE_TIMEOUT_MS_DOC = "How long RedeliveryTracker.close() waits for Kafka Streams to "
            + "commit and stop.";
    /** Default of {@link #CLOSE_TIMEOUT_MS_CONFIG}. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;


    /** Streams settings the tracker derives itself, with the tracker setting to use instead (or why not). */
    private static final Map<String, String> OWNED_STREAMS_KEYS = Map.ofEntries(
            Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, "use " + APPLICATION_ID_CONFIG),
            Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "set bootstrap.servers in the KmqConfig"),
            Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "the tracker requires exactly_once_v2"),
            Map.entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "use " + STATE_COMMIT_INTERVAL_MS_CONFIG),
            Map.entry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "use " + NUM_STANDBY_REPLICAS_CONFIG),
            Map.entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "use " + NUM_STREAM_THREADS_CONFIG),
            Map.entry(StreamsConfig.STATE_DIR_CONFIG, "use " + STATE_DIR_CONFIG),
            Map.entry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "use " + REPLICATION_FACTOR_CONFIG));

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(APPLICATION_ID_CONFIG, Type.STRING, "", SettingsRules.applicationId(), Importance.HIGH,
                    APPLICATION_ID_DOC)
            .define(PUNCTUATION_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_PUNCTUATION_INTERVAL_MS,
                    ConfigDef.Range.atLeast(1), Importance.MEDIUM, PUNCTUATION_INTERVAL_MS_DOC)
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_COMMIT_INTERVAL_MS, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, COMMIT_INTERVAL_MS_DOC)
            .define(STATE_COMMIT_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_STATE_COMMIT_INTERVAL_MS,
                    ConfigDef.Range.atLeast(1), Importance.LOW, STATE_COMMIT_INTERVAL_MS_DOC)
            .define(MAX_READ_DELAY_MS_CONFIG, Type.LONG, DEFAULT_MAX_READ_DELAY_MS, ConfigDef.Range.atLeast(0),
                    Importance.LOW, MAX_READ_DELAY_MS_DOC)
            .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    NUM_STANDBY_REPLICAS_DOC)
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    NUM_STREAM_THREADS_DOC)
            .define(STATE_DIR_CONFIG, Type.STRING, "", Importance.MEDIUM, STATE_DIR_DOC)
            .define(REPLICATION_FACTOR_CONFIG, Type.INT, -1, SettingsRules.replicationFactor(), Importance.MEDIUM,
                    REPLICATION_FACTOR_DOC)
            .define(READER_POLL_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_READER_POLL_TIMEOUT_MS,
                    ConfigDef.Range.atLeast(1), Importance.LOW, READER_POLL_TIMEOUT_MS_DOC)
            .define(MAX_ACTIONS_PER_PUNCTUATION_CONFIG, Type.INT, DEFAULT_MAX_ACTIONS_PER_PUNCTUATION,
                    ConfigDef.Range.atLeast(1), Importance.LOW, MAX_ACTIONS_PER_PUNCTUATION_DOC)
            .define(CLOSE_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_CLOSE_TIMEOUT_MS, ConfigDef.Range.atLeast(0),
                    Importance.LOW, CLOSE_TIMEOUT_MS_DOC);

    private final String applicationId;
    private final Duration punctuationInterval;
    private final Duration commitInterval;
    private final Duration stateCommitInterval;
    private final Duration maxReadDelay;
    private final int numStandbyReplicas;
    private final int numStreamThreads;
    private final String stateDir;
    private final int replicationFactor;
    private final Duration readerPollTimeout;
    private final int maxActionsPerPunctuation;
    private final Duration closeTimeout;
    private final Map<String, Object> streamsOverrides;
    private final Map<String, Object> originals;

    private TrackerSettings(Map<String, ?> properties) {
        Map<String, Object> own = new HashMap<>();
        Map<String, Object> streams = new LinkedHashMap<>();
        Map<String, Object> given = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(STREAMS_PREFIX)) {
                String streamsKey = key.substring(STREAMS_PREFIX.length());
                String owned = OWNED_STREAMS_KEYS.get(streamsKey);
                if (owned != null) {
                    throw new ConfigException(key, value, "is set by the tracker (" + owned + ")");
                }
                streams.put(streamsKey, value);
                given.put(key, value);
            } else if (key.startsWith(PREFIX)) {
                own.put(key, value);
                given.put(key, value);
            }
        });
        ConfigRules.rejectUnknownKmqKeys(own.keySet(), CONFIG_DEF.names());
        AbstractConfig parsed = new AbstractConfig(CONFIG_DEF, own, false);
        this.applicationId = parsed.getString(APPLICATION_ID_CONFIG);
        this.punctuationInterval = Duration.ofMillis(parsed.getLong(PUNCTUATION_INTERVAL_MS_CONFIG));
        this.commitInterval = Duration.ofMillis(parsed.getLong(COMMIT_INTERVAL_MS_CONFIG));
        this.stateCommitInterval = Duration.ofMillis(parsed.getLong(STATE_COMMIT_INTERVAL_MS_CONFIG));
        this.maxReadDelay = Duration.ofMillis(parsed.getLong(MAX_READ_DELAY_MS_CONFIG));
        this.numStandbyReplicas = parsed.getInt(NUM_STANDBY_REPLICAS_CONFIG);
        this.numStreamThreads = parsed.getInt(NUM_STREAM_THREADS_CONFIG);
        this.stateDir = parsed.getString(STATE_DIR_CONFIG);
        this.replicationFactor = parsed.getInt(REPLICATION_FACTOR_CONFIG);
        this.readerPollTimeout = Duration.ofMillis(parsed.getLong(READER_POLL_TIMEOUT_MS_CONFIG));
        this.maxActionsPerPunctuation = parsed.getInt(MAX_ACTIONS_PER_PUNCTUATION_CONFIG);
        this.closeTimeout = Duration.ofMillis(parsed.getLong(CLOSE_TIMEOUT_MS_CONFIG));
        this.streamsOverrides = Collections.unmodifiableMap(streams);
        this.originals = Collections.unmodifiableMap(given);
        requireBelowTransactionTimeout(stateCommitInterval, streams);
    }

    /**
     * A transaction open longer than its timeout is aborted by the broker, which fences the tracker's producer: the
     * commit interval must stay below it.
     */
    private static void requireBelowTransactionTimeout(Duration interval, Map<String, Object> streams) {
        Object given = streams.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                streams.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        long timeout = given == null ? STREAMS_EOS_TRANSACTION_TIMEOUT_MS
                : (Integer) ConfigDef.parseType(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, given, Type.INT);
        if (interval.toMillis() >= timeout) {
            throw new ConfigException(STATE_COMMIT_INTERVAL_MS_CONFIG, interval.toMillis(), "must be below the "
                    + "transaction timeout of " + timeout + " ms (raise it with " + STREAMS_PREFIX
                    + StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG) + ")");
        }
    }

    /** The settings with every key at its default. */
    public static TrackerSettings defaults() {
        return new TrackerSettings(Map.of());
    }

    /**
     * Parses and validates the {@code kmq.tracker.*} keys of {@code properties}; other keys are ignored.
     *
     * @throws ConfigException naming the key, the value and what was expected, if a setting is unknown or invalid
     */
    public static TrackerSettings from(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        return new TrackerSettings(properties);
    }

    /**
     * Parses and validates the {@code kmq.tracker.*} keys of {@code properties}, as loaded from a
     * {@code kmq.properties} file; other keys are ignored.
     *
     * @throws ConfigException naming the key, the value and what was expected, if a setting is unknown or invalid
     */
    public static TrackerSettings from(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        return new TrackerSettings(Utils.propsToMap(properties));
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(originals);
    }

    /** The definitions of every {@code kmq.tracker.*} key, with documentation, defaults and validators. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The configured application id, or empty to derive it from the first served topic's group. */
    public Optional<String> applicationId() {
        return applicationId.isEmpty() ? Optional.empty() : Optional.of(applicationId);
    }

    /**
     * The application id for a tracker whose first served topic is {@code first}: the configured one, or
     * {@code <first.groupId()>__kmq-tracker}.
     *
     * @throws ConfigException if the derived id is not a legal application id
     */
    public String applicationIdFor(KmqConfig first) {
        if (!applicationId.isEmpty()) {
            return applicationId;
        }
        String derived = first.groupId() + "__kmq-tracker";
        if (!SettingsRules.isLegalApplicationId(derived)) {
            throw new ConfigException(APPLICATION_ID_CONFIG, derived, "derived from kmq.group.id but not "
                    + SettingsRules.APPLICATION_ID_CHARS + "; set " + APPLICATION_ID_CONFIG + " explicitly");
        }
        return derived;
    }

    /** How often each markers partition is checked for due messages. */
    public Duration punctuationInterval() {
        return punctuationInterval;
    }

    /** The least time between the commits a task asks for after redelivering (how soon redeliveries show). */
    public Duration commitInterval() {
        return commitInterval;
    }

    /** The Kafka Streams commit interval: how often progress is committed when nothing was redelivered. */
    public Duration stateCommitInterval() {
        return stateCommitInterval;
    }

    /** How long a stream thread may leave new markers unread while nothing it tracks is due sooner. */
    public Duration maxReadDelay() {
        return maxReadDelay;
    }

    /** The Kafka Streams number of standby replicas. */
    public int numStandbyReplicas() {
        return numStandbyReplicas;
    }

    /** The number of stream threads of this instance. */
    public int numStreamThreads() {
        return numStreamThreads;
    }

    /** The Kafka Streams state directory, or empty for the Streams default. */
    public Optional<Path> stateDir() {
        return stateDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(stateDir));
    }

    /** The replication factor of internal topics; -1 for the broker default. */
    public int replicationFactor() {
        return replicationFactor;
    }

    /** How long reading due messages back may take per punctuation. */
    public Duration readerPollTimeout() {
        return readerPollTimeout;
    }

    /** How many due messages one markers partition handles per punctuation at most. */
    public int maxActionsPerPunctuation() {
        return maxActionsPerPunctuation;
    }

    /** How long {@link RedeliveryTracker#close()} waits. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The Kafka Streams properties passed through (without the {@value #STREAMS_PREFIX} prefix), unmodifiable. */
    public Map<String, Object> streamsOverrides() {
        return streamsOverrides;
    }

    @Override
    public String toString() {
        return "TrackerSettings{applicationId=" + (applicationId.isEmpty() ? "<derived>" : applicationId)
                + ", punctuationInterval=" + punctuationInterval + ", commitInterval=" + commitInterval
                + ", stateCommitInterval=" + stateCommitInterval + ", maxReadDelay=" + maxReadDelay
                + ", numStandbyReplicas=" + numStandbyReplicas + ", numStreamThreads=" + numStreamThreads
                + ", stateDir=" + (stateDir.isEmpty() ? "<default>" : stateDir) + ", replicationFactor="
                + replicationFactor + ", readerPollTimeout=" + readerPollTimeout + ", maxActionsPerPunctuation="
                + maxActionsPerPunctuation + ", closeTimeout=" + closeTimeout + ", streamsOverrides="
                + streamsOverrides.keySet() + "}";
    }

    /** Builds {@link TrackerSettings}; {@link #build()} validates, the setters only record. */
    public static final class Builder {
        private final Map<String, Object> properties;

        private Builder(Map<String, Object> initial) {
            this.properties = new LinkedHashMap<>(initial);
        }

        /** Sets {@value TrackerSettings#APPLICATION_ID_CONFIG}. */
        public Builder applicationId(String applicationId) {
            return set(APPLICATION_ID_CONFIG, applicationId);
        }

        /** Sets {@value TrackerSettings#PUNCTUATION_INTERVAL_MS_CONFIG}. */
        public Builder punctuationInterval(Duration interval) {
            return set(PUNCTUATION_INTERVAL_MS_CONFIG, millis(interval, "interval"));
        }

        /** Sets {@value TrackerSettings#COMMIT_INTERVAL_MS_CONFIG}. */
        public Builder commitInterval(Duration interval) {
            return set(COMMIT_INTERVAL_MS_CONFIG, millis(interval, "interval"));
        }

        /** Sets {@value TrackerSettings#STATE_COMMIT_INTERVAL_MS_CONFIG}. */
        public Builder stateCommitInterval(Duration interval) {
            return set(STATE_COMMIT_INTERVAL_MS_CONFIG, millis(interval, "interval"));
        }

        /** Sets {@value TrackerSettings#MAX_READ_DELAY_MS_CONFIG}. */
        public Builder maxReadDelay(Duration delay) {
            return set(MAX_READ_DELAY_MS_CONFIG, millis(delay, "delay"));
        }

        /** Sets {@value TrackerSettings#NUM_STANDBY_REPLICAS_CONFIG}. */
        public Builder numStandbyReplicas(int replicas) {
            return set(NUM_STANDBY_REPLICAS_CONFIG, replicas);
        }

        /** Sets {@value TrackerSettings#NUM_STREAM_THREADS_CONFIG}. */
        public Builder numStreamThreads(int threads) {
            return set(NUM_STREAM_THREADS_CONFIG, threads);
        }

        /** Sets {@value TrackerSettings#STATE_DIR_CONFIG}. */
        public Builder stateDir(Path directory) {
            Objects.requireNonNull(directory, "directory");
            return set(STATE_DIR_CONFIG, directory.toString());
        }

        /** Sets {@value TrackerSettings#REPLICATION_FACTOR_CONFIG}. */
        public Builder replicationFactor(int replicationFactor) {
            return set(REPLICATION_FACTOR_CONFIG, replicationFactor);
        }

        /** Sets {@value TrackerSettings#READER_POLL_TIMEOUT_MS_CONFIG}. */
        public Builder readerPollTimeout(Duration timeout) {
            return set(READER_POLL_TIMEOUT_MS_CONFIG, millis(timeout, "timeout"));
        }

        /** Sets {@value TrackerSettings#MAX_ACTIONS_PER_PUNCTUATION_CONFIG}. */
        public Builder maxActionsPerPunctuation(int max) {
            return set(MAX_ACTIONS_PER_PUNCTUATION_CONFIG, max);
        }

        /** Sets {@value TrackerSettings#CLOSE_TIMEOUT_MS_CONFIG}. */
        public Builder closeTimeout(Duration timeout) {
            return set(CLOSE_TIMEOUT_MS_CONFIG, millis(timeout, "timeout"));
        }

        /** Passes a Kafka Streams property through (as {@value TrackerSettings#STREAMS_PREFIX}{@code key}). */
        public Builder streamsProperty(String key, Object value) {
            Objects.requireNonNull(key, "key");
            return set(STREAMS_PREFIX + key, value);
        }

        /** Sets any {@code kmq.tracker.*} key. */
        public Builder set(String key, Object value) {
            Objects.requireNonNull(key, "key");
            properties.put(key, value);
            return this;
        }

        /**
         * Validates the settings and builds them.
         *
         * @throws ConfigException naming the key, the value and what was expected, if a setting is unknown or invalid
         */
        public TrackerSettings build() {
            Set<String> foreign = new TreeSet<>();
            properties.keySet().stream().filter(k -> !k.startsWith(PREFIX)).forEach(foreign::add);
            if (!foreign.isEmpty()) {
                throw new ConfigException("Tracker settings " + foreign + " do not start with '" + PREFIX
                        + "' (expected: kmq.tracker.* keys; kmq topic settings belong in KmqConfig)");
            }
            return new TrackerSettings(properties);
        }

        private static long millis(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            return duration.toMillis();
        }
    }
}
