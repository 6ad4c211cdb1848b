package io.kmq.bench;

import io.kmq.redelivery.TrackerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one benchmark run does: which scenarios and systems, how many messages, how often. Immutable; built with
 * {@link #builder()} (full-size defaults) or {@link #quickBuilder()} (the {@code --quick} sizes), validated in the
 * constructor.
 */
public final class BenchSettings {

    /** The systems compared unless chosen: plain, kmq and share ({@code original} only when asked for). */
    public static final List<SystemKind> DEFAULT_SYSTEMS = List.of(SystemKind.PLAIN, SystemKind.KMQ, SystemKind.SHARE);

    private final List<Scenario> scenarios;
    private final List<SystemKind> systems;
    private final int messages;
    private final int backlog;
    private final int messageSize;
    private final int partitions;
    private final int repeats;
    private final int throughputRepeats;
    private final int warmupMessages;
    private final int warmupRuns;
    private final int sendBatch;
    private final int latencyRate;
    private final Duration latencyDuration;
    private final double dropProbability;
    private final int maxDrops;
    private final long seed;
    private final Duration kmqMessageTimeout;
    private final int kmqMaxInFlight;
    private final boolean kmqAckBatch;
    private final Map<String, String> kmqProperties;
    private final Map<String, String> plainProperties;
    private final Map<String, String> trackerProperties;
    private final TrackerPlacement kmqTracker;
    private final Duration idleTimeout;
    private final Duration sampleInterval;
    private final boolean quick;

    private BenchSettings(Builder b) {
        this.scenarios = List.copyOf(new LinkedHashSet<>(requireNonEmpty(b.scenarios, "scenarios")));
        this.systems = List.copyOf(new LinkedHashSet<>(requireNonEmpty(b.systems, "systems")));
        this.messages = atLeast(b.messages, 1, "messages");
        this.backlog = atLeast(b.backlog, 1, "backlog");
        this.messageSize = atLeast(b.messageSize, PAYLOAD_HEADER_BYTES, "messageSize");
        this.partitions = atLeast(b.partitions, 1, "partitions");
        this.repeats = atLeast(b.repeats, 1, "repeats");
        this.throughputRepeats = atLeast(b.throughputRepeats, 1, "throughputRepeats");
        this.warmupMessages = atLeast(b.warmupMessages, 0, "warmupMessages");
        this.warmupRuns = atLeast(b.warmupRuns, 1, "warmupRuns");
        this.sendBatch = atLeast(b.sendBatch, 1, "sendBatch");
        this.latencyRate = atLeast(b.latencyRate, 1, "latencyRate");
        this.latencyDuration = positive(b.latencyDuration, "latencyDuration");
        if (!(b.dropProbability >= 0 && b.dropProbability < 1)) {
            throw new IllegalArgumentException("dropProbability : " + b.dropProbability + " (expected: >= 0 and < 1)");
        }
        this.dropProbability = b.dropProbability;
        this.maxDrops = atLeast(b.maxDrops, 0, "maxDrops");
        if (maxDrops > MAX_DROPS_LIMIT) {
            throw new IllegalArgumentException("maxDrops : " + maxDrops + " (expected: <= " + MAX_DROPS_LIMIT
                    + ", so that a share group's default delivery limit of 5 never archives a message)");
        }
        this.seed = b.seed;
        this.kmqMessageTimeout = positive(b.kmqMessageTimeout, "kmqMessageTimeout");
        this.kmqMaxInFlight = atLeast(b.kmqMaxInFlight, 1, "kmqMaxInFlight");
        this.kmqAckBatch = b.kmqAckBatch;
        this.kmqProperties = Collections.unmodifiableMap(new TreeMap<>(b.kmqProperties));
        this.plainProperties = Collections.unmodifiableMap(new TreeMap<>(b.plainProperties));
        for (String key : b.trackerProperties.keySet()) {
            if (!key.startsWith(TrackerSettings.PREFIX)) {
                throw new IllegalArgumentException("trackerProperties : " + key + " (expected: a "
                        + TrackerSettings.PREFIX + "* key)");
            }
        }
        this.trackerProperties = Collections.unmodifiableMap(new TreeMap<>(b.trackerProperties));
        this.kmqTracker = b.kmqTracker;
        if (kmqTracker == TrackerPlacement.NONE && scenarios.contains(Scenario.DROPS)
                && (systems.contains(SystemKind.KMQ) || systems.contains(SystemKind.ORIGINAL))) {
            throw new IllegalArgumentException("kmqTracker : " + kmqTracker.flag() + " (expected: a running tracker "
                    + "when the drops scenario runs kmq: dropped messages are redelivered by it)");
        }
        this.idleTimeout = positive(b.idleTimeout, "idleTimeout");
        this.sampleInterval = positive(b.sampleInterval, "sampleInterval");
        if (sampleInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("sampleInterval : " + sampleInterval + " (expected: >= 10 ms)");
        }
        this.quick = b.quick;
    }

    /** Bytes every payload needs for its sequence number and send time. */
    public static final int PAYLOAD_HEADER_BYTES = 16;
    /** The JIT compilers' share of a warm-up run's CPU below which a system counts as warm: see warmupRuns. */
    public static final double SETTLED_JIT_CPU_SHARE = 0.10;
    /** Most drops of one message: the fifth delivery is always processed (share groups stop at 5 deliveries). */
    public static final int MAX_DROPS_LIMIT = 4;

    /**
     * The scenarios whose runs take seconds and whose throughput ratios spread the most from round to round: they get
     * {@link #throughputRepeats()} rounds.
     */
    public static final Set<Scenario> THROUGHPUT_SCENARIOS =
            Collections.unmodifiableSet(EnumSet.of(Scenario.SEND_RECEIVE, Scenario.SEND_RECEIVE_ACKS1,
                    Scenario.PREPOPULATED));

    /** A builder with the full-size defaults: 100k live messages, a 2M backlog, 3 repeats (7 where throughput). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the {@code --quick} sizes: every scenario and system, small, finishing in under 3 minutes. */
    public static Builder quickBuilder() {
        Builder b = new Builder();
        b.messages = 3_000;
        b.backlog = 100_000;
        b.repeats = 2;
        b.throughputRepeats = 2;
        b.warmupMessages = 2_000;
        b.warmupRuns = 1;
        b.latencyRate = 2_000;
        b.latencyDuration = Duration.ofSeconds(2);
        b.idleTimeout = Duration.ofSeconds(30);
        b.sampleInterval = Duration.ofMillis(250);
        b.quick = true;
        return b;
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scenarios = new ArrayList<>(scenarios);
        b.systems = new ArrayList<>(systems);
        b.messages = messages;
        b.backlog = backlog;
        b.messageSize = messageSize;
        b.partitions = partitions;
        b.repeats = repeats;
        b.throughputRepeats = throughputRepeats;
        b.warmupMessages = warmupMessages;
        b.warmupRuns = warmupRuns;
        b.sendBatch = sendBatch;
        b.latencyRate = latencyRate;
        b.latencyDuration = latencyDuration;
        b.dropProbability = dropProbability;
        b.maxDrops = maxDrops;
        b.seed = seed;
        b.kmqMessageTimeout = kmqMessageTimeout;
        b.kmqMaxInFlight = kmqMaxInFlight;
        b.kmqAckBatch = kmqAckBatch;
        b.kmqProperties = new TreeMap<>(kmqProperties);
        b.plainProperties = new TreeMap<>(plainProperties);
        b.trackerProperties = new TreeMap<>(trackerProperties);
        b.kmqTracker = kmqTracker;
        b.idleTimeout = idleTimeout;
        b.sampleInterval = sampleInterval;
        b.quick = quick;
        return b;
    }

    /** The scenarios, in run order, without duplicates. */
    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** The systems, in the order each round runs them, without duplicates. */
    public List<SystemKind> systems() {
        return systems;
    }

    /** Messages sent per run in the live scenarios (except {@link Scenario#LATENCY}, which sends for a duration). */
    public int messages() {
        return messages;
    }

    /** Messages in the pre-populated topic. */
    public int backlog() {
        return backlog;
    }

    /** Bytes per message value. */
    public int messageSize() {
        return messageSize;
    }

    /** Partitions of every message topic (and of kmq's markers topics). */
    public int partitions() {
        return partitions;
    }

    /**
     * Measured runs per system in the scenarios other than {@link #THROUGHPUT_SCENARIOS}; the report gives their
     * median and spread.
     */
    public int repeats() {
        return repeats;
    }

    /**
     * Measured runs per system in the {@link #THROUGHPUT_SCENARIOS}: one of their rounds takes seconds, and kmq's
     * ratio to plain spreads widely from round to round on a shared machine, so more rounds steady the median.
     */
    public int throughputRepeats() {
        return throughputRepeats;
    }

    /** Measured runs per system in {@code scenario}: {@link #throughputRepeats()} or {@link #repeats()}. */
    public int repeats(Scenario scenario) {
        return THROUGHPUT_SCENARIOS.contains(scenario) ? throughputRepeats : repeats;
    }

    /**
     * The runs per system for reports, e.g. "3 run(s) per system (7 in send-receive, prepopulated)": the exception
     * is named only for the chosen scenarios it applies to, and only where it differs.
     */
    public String describeRepeats() {
        List<String> more = scenarios.stream().filter(THROUGHPUT_SCENARIOS::contains).map(Scenario::id).toList();
        boolean uniform = throughputRepeats == repeats || more.isEmpty();
        if (more.size() == scenarios.size()) {
            return throughputRepeats + " run(s) per system";
        }
        return repeats + " run(s) per system" + (uniform ? ""
                : " (" + throughputRepeats + " in " + String.join(", ", more) + ")");
    }

    /**
     * Messages of the unrecorded warm-up run each system does first (send-receive); 0 for no warm-up at all, neither
     * that run nor the unrecorded drains of the pre-populated backlog (see {@link #warmupRuns()}).
     */
    public int warmupMessages() {
        return warmupMessages;
    }

    /**
     * Most unrecorded runs of each warm-up per system: the live warm-up run, and the drain of the pre-populated
     * backlog before that scenario's rounds (none if {@link #warmupMessages()} is 0). Each is repeated until the JIT
     * compilers of all the benchmark's JVMs used less than {@link #SETTLED_JIT_CPU_SHARE} of its CPU: a client's
     * per-poll code reaches its final compiled form only after many polls, and compiling it inside the measured
     * rounds would be counted against it.
     */
    public int warmupRuns() {
        return warmupRuns;
    }

    /** Messages the live producer sends before waiting for all of them to be acknowledged (the seed's 10). */
    public int sendBatch() {
        return sendBatch;
    }

    /** Messages per second in {@link Scenario#LATENCY}. */
    public int latencyRate() {
        return latencyRate;
    }

    /** How long {@link Scenario#LATENCY} sends. */
    public Duration latencyDuration() {
        return latencyDuration;
    }

    /** Messages sent in {@link Scenario#LATENCY}: rate times duration, at least 1. */
    public int latencyMessages() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, latencyRate * latencyDuration.toMillis() / 1000));
    }

    /** Probability that a delivery is dropped in {@link Scenario#DROPS}. */
    public double dropProbability() {
        return dropProbability;
    }

    /** How many times one message may be dropped at most; the next delivery is processed. */
    public int maxDrops() {
        return maxDrops;
    }

    /** Seed of the drop decisions: the same messages are dropped for every system. */
    public long seed() {
        return seed;
    }

    /** kmq's {@code kmq.message.timeout.ms}. */
    public Duration kmqMessageTimeout() {
        return kmqMessageTimeout;
    }

    /** kmq's {@code kmq.max.in.flight}. */
    public int kmqMaxInFlight() {
        return kmqMaxInFlight;
    }

    /**
     * Whether kmq's receiver acknowledges the processed records of each batch with one {@code processedAll} call,
     * instead of one {@code processed} call per record (the default, as the seed's receiver).
     */
    public boolean kmqAckBatch() {
        return kmqAckBatch;
    }

    /**
     * Further settings of the KmqClient (and its tracker): {@code kmq.*} keys such as {@code kmq.marker.ranges}, or
     * Kafka client properties such as {@code max.poll.records}.
     */
    public Map<String, String> kmqProperties() {
        return kmqProperties;
    }

    /**
     * Kafka consumer properties of the plain receiver, over its defaults (e.g. {@code isolation.level=read_committed},
     * kmq's isolation level), to tell whether a difference comes from kmq or from a consumer setting.
     */
    public Map<String, String> plainProperties() {
        return plainProperties;
    }

    /**
     * Settings of kmq's redelivery tracker: {@code kmq.tracker.*} keys, such as {@code kmq.tracker.commit.interval.ms}
     * or {@code kmq.tracker.streams.main.consumer.fetch.max.wait.ms}, validated by the tracker when it starts.
     */
    public Map<String, String> trackerProperties() {
        return trackerProperties;
    }

    /**
     * Where kmq's redelivery tracker runs; by default in a JVM of its own kept for the whole benchmark (as deployed: a
     * warm sidecar), so that its CPU and GC are not counted as the client's.
     */
    public TrackerPlacement kmqTracker() {
        return kmqTracker;
    }

    /** A run whose receiver makes no progress for this long stops; what it did not receive counts as lost. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How often the receive rate is sampled (the drop scenario's rate-over-time chart). */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** Whether these are the {@code --quick} sizes (noted in the report). */
    public boolean quick() {
        return quick;
    }

    @Override
    public String toString() {
        return "BenchSettings{scenarios=" + scenarios + ", systems=" + systems + ", messages=" + messages
                + ", backlog=" + backlog + ", messageSize=" + messageSize + ", partitions=" + partitions
                + ", repeats=" + repeats + ", throughputRepeats=" + throughputRepeats
                + ", warmupMessages=" + warmupMessages + ", warmupRuns=" + warmupRuns
                + ", sendBatch=" + sendBatch + ", latencyRate=" + latencyRate + ", latencyDuration=" + latencyDuration
                + ", dropProbability=" + dropProbability + ", maxDrops=" + maxDrops + ", seed=" + seed
                + ", kmqMessageTimeout=" + kmqMessageTimeout + ", kmqMaxInFlight=" + kmqMaxInFlight
                + ", kmqAckBatch=" + kmqAckBatch + ", kmqProperties=" + kmqProperties
                + ", plainProperties=" + plainProperties
                + ", trackerProperties=" + trackerProperties + ", kmqTracker=" + kmqTracker
                + ", idleTimeout=" + idleTimeout + ", sampleInterval=" + sampleInterval + ", quick=" + quick + "}";
    }

    private static <T> List<T> requireNonEmpty(List<T> values, String name) {
        Objects.requireNonNull(values, name);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " : [] (expected: at least one)");
        }
        values.forEach(v -> Objects.requireNonNull(v, name + " element"));
        return values;
    }

    private static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: > 0)");
        }
        return value;
    }

    /** Builds {@link BenchSettings}; {@link #build()} validates, the setters only record. */
    public static final class Builder {
        private List<Scenario> scenarios = Arrays.asList(Scenario.values());
        private List<SystemKind> systems = DEFAULT_SYSTEMS;
        private int messages = 100_000;
        private int backlog = 2_000_000;
        private int messageSize = 100;
        private int partitions = 8;
        private int repeats = 3;
        private int throughputRepeats = 7;
        private int warmupMessages = 20_000;
        private int warmupRuns = 6;
        private int sendBatch = 10;
        private int latencyRate = 5_000;
        private Duration latencyDuration = Duration.ofSeconds(10);
        private double dropProbability = 0.5;
        private int maxDrops = MAX_DROPS_LIMIT;
        private long seed = 42;
        private Duration kmqMessageTimeout = Duration.ofSeconds(30);
        private int kmqMaxInFlight = 10_000;
        private boolean kmqAckBatch;
        private Map<String, String> kmqProperties = new TreeMap<>();
        private Map<String, String> plainProperties = new TreeMap<>();
        private Map<String, String> trackerProperties = new TreeMap<>();
        private TrackerPlacement kmqTracker = TrackerPlacement.JVM;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration sampleInterval = Duration.ofMillis(500);
        private boolean quick;

        private Builder() {
        }

        /** See {@link BenchSettings#scenarios()}. */
        public Builder scenarios(List<Scenario> value) {
            this.scenarios = value == null ? null : new ArrayList<>(value);
            return this;
        }

        /** See {@link BenchSettings#systems()}. */
        public Builder systems(List<SystemKind> value) {
            this.systems = value == null ? null : new ArrayList<>(value);
            return this;
        }

        /** See {@link BenchSettings#messages()}. */
        public Builder messages(int value) {
            this.messages = value;
            return this;
        }

        /** See {@link BenchSettings#backlog()}. */
        public Builder backlog(int value) {
            this.backlog = value;
            return this;
        }

        /** See {@link BenchSettings#messageSize()}. */
        public Builder messageSize(int value) {
            this.messageSize = value;
            return this;
        }

        /** See {@link BenchSettings#partitions()}. */
        public Builder partitions(int value) {
            this.partitions = value;
            return this;
        }

        /** Sets {@link BenchSettings#repeats()} and {@link BenchSettings#throughputRepeats()}: every scenario. */
        public Builder repeats(int value) {
            this.repeats = value;
            this.throughputRepeats = value;
            return this;
        }

        /** See {@link BenchSettings#throughputRepeats()}. */
        public Builder throughputRepeats(int value) {
            this.throughputRepeats = value;
            return this;
        }

        /** See {@link BenchSettings#warmupMessages()}. */
        public Builder warmupMessages(int value) {
            this.warmupMessages = value;
            return this;
        }

        /** See {@link BenchSettings#warmupRuns()}. */
        public Builder warmupRuns(int value) {
            this.warmupRuns = value;
            return this;
        }

        /** See {@link BenchSettings#sendBatch()}. */
        public Builder sendBatch(int value) {
            this.sendBatch = value;
            return this;
        }

        /** See {@link BenchSettings#latencyRate()}. */
        public Builder latencyRate(int value) {
            this.latencyRate = value;
            return this;
        }

        /** See {@link BenchSettings#latencyDuration()}. */
        public Builder latencyDuration(Duration value) {
            this.latencyDuration = value;
            return this;
        }

        /** See {@link BenchSettings#dropProbability()}. */
        public Builder dropProbability(double value) {
            this.dropProbability = value;
            return this;
        }

        /** See {@link BenchSettings#maxDrops()}. */
        public Builder maxDrops(int value) {
            this.maxDrops = value;
            return this;
        }

        /** See {@link BenchSettings#seed()}. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** See {@link BenchSettings#kmqMessageTimeout()}. */
        public Builder kmqMessageTimeout(Duration value) {
            this.kmqMessageTimeout = value;
            return this;
        }

        /** See {@link BenchSettings#kmqMaxInFlight()}. */
        public Builder kmqMaxInFlight(int value) {
            this.kmqMaxInFlight = value;
            return this;
        }

        /** See {@link BenchSettings#kmqAckBatch()}. */
        public Builder kmqAckBatch(boolean value) {
            this.kmqAckBatch = value;
            return this;
        }

        /** See {@link BenchSettings#kmqProperties()}. */
        public Builder kmqProperties(Map<String, String> value) {
            this.kmqProperties = new TreeMap<>(value);
            return this;
        }

        /** See {@link BenchSettings#plainProperties()}. */
        public Builder plainProperties(Map<String, String> value) {
            this.plainProperties = new TreeMap<>(value);
            return this;
        }

        /** See {@link BenchSettings#trackerProperties()}. */
        public Builder trackerProperties(Map<String, String> value) {
            this.trackerProperties = new TreeMap<>(value);
            return this;
        }

        /** See {@link BenchSettings#kmqTracker()}. */
        public Builder kmqTracker(TrackerPlacement value) {
            this.kmqTracker = java.util.Objects.requireNonNull(value, "kmqTracker");
            return this;
        }

        /** See {@link BenchSettings#idleTimeout()}. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /** See {@link BenchSettings#sampleInterval()}. */
        public Builder sampleInterval(Duration value) {
            this.sampleInterval = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting, its value and what was expected
         */
        public BenchSettings build() {
            return new BenchSettings(this);
        }
    }
}
