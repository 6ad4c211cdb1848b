package io.kmq.gateway;

import static io.kmq.gateway.internal.Checks.atLeast;
import static io.kmq.gateway.internal.Checks.positive;
import static io.kmq.gateway.internal.Checks.requireText;
import static io.kmq.gateway.internal.Checks.within;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Immutable settings of a {@link Gateway}, built with {@link #builder()} and validated when built: every error names
 * the setting, its value and what was expected, like {@code "port : 70000 (expected: 0..65535)"}.
 */
public final class GatewayConfig {

    private final String bootstrapServers;
    private final String host;
    private final int port;
    private final String path;
    private final String gatewayId;
    private final int ioThreads;
    private final int maxFrameBytes;
    private final int outboundBufferBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final int historyRecordsPerPartition;
    private final int historyBytesPerPartition;
    private final int lastValueMaxKeys;
    private final Duration feedIdleTimeout;
    private final int maxSubscriptionsPerConnection;
    private final int maxPendingPublishesPerConnection;
    private final int maxPrefetch;
    private final Duration queueMessageTimeout;
    private final int queueMaxInFlight;
    private final Duration handshakeTimeout;
    private final int resumeThreads;
    private final int socketSendBufferBytes;
    private final Map<String, Object> kafkaProperties;

    private GatewayConfig(Builder b) {
        this.bootstrapServers = requireText("bootstrapServers", b.bootstrapServers);
        this.host = requireText("host", b.host);
        this.port = within("port", b.port, 0, 65_535);
        this.path = requireText("path", b.path);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path : " + path + " (expected: starting with '/')");
        }
        this.gatewayId = requireText("gatewayId", b.gatewayId);
        this.ioThreads = atLeast("ioThreads", b.ioThreads, 1);
        this.maxFrameBytes = within("maxFrameBytes", b.maxFrameBytes, 1_024, 64 * 1024 * 1024);
        this.outboundBufferBytes = atLeast("outboundBufferBytes", b.outboundBufferBytes, 4_096);
        this.slowConsumerPolicy = Objects.requireNonNull(b.slowConsumerPolicy, "slowConsumerPolicy");
        this.historyRecordsPerPartition = atLeast("historyRecordsPerPartition", b.historyRecordsPerPartition, 0);
        this.historyBytesPerPartition = atLeast("historyBytesPerPartition", b.historyBytesPerPartition, 0);
        this.lastValueMaxKeys = atLeast("lastValueMaxKeys", b.lastValueMaxKeys, 0);
        this.feedIdleTimeout = positive("feedIdleTimeout", b.feedIdleTimeout);
        this.maxSubscriptionsPerConnection = atLeast("maxSubscriptionsPerConnection",
                b.maxSubscriptionsPerConnection, 1);
        this.maxPendingPublishesPerConnection = atLeast("maxPendingPublishesPerConnection",
                b.maxPendingPublishesPerConnection, 1);
        this.maxPrefetch = atLeast("maxPrefetch", b.maxPrefetch, 1);
        this.queueMessageTimeout = positive("queueMessageTimeout", b.queueMessageTimeout);
        this.queueMaxInFlight = atLeast("queueMaxInFlight", b.queueMaxInFlight, 1);
        if (queueMaxInFlight < maxPrefetch) {
            throw new IllegalArgumentException("queueMaxInFlight : " + queueMaxInFlight + " (expected: >= maxPrefetch ("
                    + maxPrefetch + "), or one member could never fill its prefetch)");
        }
        this.handshakeTimeout = positive("handshakeTimeout", b.handshakeTimeout);
        this.resumeThreads = atLeast("resumeThreads", b.resumeThreads, 1);
        this.socketSendBufferBytes = atLeast("socketSendBufferBytes", b.socketSendBufferBytes, 0);
        this.kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafkaProperties));
        if (kafkaProperties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafkaProperties cannot contain bootstrap.servers (set bootstrapServers)");
        }
    }

    /** A builder with the defaults documented on each of its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The Kafka cluster's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The address the WebSocket listener binds to. */
    public String host() {
        return host;
    }

    /** The listener port; 0 picks a free one (see {@link Gateway#port()}). */
    public int port() {
        return port;
    }

    /** The HTTP path of the WebSocket endpoint. */
    public String path() {
        return path;
    }

    /** This gateway's name, sent in the {@code welcome} frame and used in Kafka client ids. */
    public String gatewayId() {
        return gatewayId;
    }

    /** How many Netty I/O threads serve the connections. */
    public int ioThreads() {
        return ioThreads;
    }

    /** The largest text frame (or message assembled from fragments) accepted from a client, in bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The cap of each connection's outbound buffer in bytes, beyond which the slow-consumer policy applies. */
    public int outboundBufferBytes() {
        return outboundBufferBytes;
    }

    /** What happens to a fan-out subscriber that reads too slowly. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** How many recent records of each partition the fan-out history keeps for resuming clients. */
    public int historyRecordsPerPartition() {
        return historyRecordsPerPartition;
    }

    /** The byte bound of the fan-out history of each partition (payloads and keys). */
    public int historyBytesPerPartition() {
        return historyBytesPerPartition;
    }

    /** How many keys of each topic keep a last value ({@code from: "last"}); the least recently updated go first. */
    public int lastValueMaxKeys() {
        return lastValueMaxKeys;
    }

    /** How long a topic's fan-out feed (and its history and last values) outlives its last subscription. */
    public Duration feedIdleTimeout() {
        return feedIdleTimeout;
    }

    /** The most subscriptions (fan-out and queue) one connection may hold. */
    public int maxSubscriptionsPerConnection() {
        return maxSubscriptionsPerConnection;
    }

    /** The most publishes of one connection that Kafka has not acknowledged yet. */
    public int maxPendingPublishesPerConnection() {
        return maxPendingPublishesPerConnection;
    }

    /** The largest prefetch a queue subscription may ask for. */
    public int maxPrefetch() {
        return maxPrefetch;
    }

    /** The kmq message timeout of queue groups: how long a client may hold a delivery before kmq redelivers it. */
    public Duration queueMessageTimeout() {
        return queueMessageTimeout;
    }

    /** The most records a queue group on this gateway holds polled and not yet acknowledged ({@code kmq.max.in.flight}). */
    public int queueMaxInFlight() {
        return queueMaxInFlight;
    }

    /** How long a client may take to complete the WebSocket handshake. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How many threads read Kafka for resuming subscriptions whose position is older than the history. */
    public int resumeThreads() {
        return resumeThreads;
    }

    /** {@code SO_SNDBUF} of client connections in bytes; 0 leaves the operating system's default. */
    public int socketSendBufferBytes() {
        return socketSendBufferBytes;
    }

    /** Extra properties for every Kafka client of the gateway (security, timeouts); unmodifiable. */
    public Map<String, Object> kafkaProperties() {
        return kafkaProperties;
    }

    @Override
    public String toString() {
        return "GatewayConfig{gatewayId=" + gatewayId + ", bootstrapServers=" + bootstrapServers + ", listen=" + host
                + ":" + port + path + ", maxFrameBytes=" + maxFrameBytes + ", outboundBufferBytes="
                + outboundBufferBytes + ", slowConsumerPolicy=" + slowConsumerPolicy + ", history="
                + historyRecordsPerPartition + " records/" + historyBytesPerPartition + " bytes per partition"
                + ", lastValueMaxKeys=" + lastValueMaxKeys + ", queueMessageTimeout=" + queueMessageTimeout + "}";
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String bootstrapServers;
        private String host = "0.0.0.0";
        private int port = 8080;
        private String path = GatewayProtocol.DEFAULT_PATH;
        private String gatewayId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int maxFrameBytes = 64 * 1024;
        private int outboundBufferBytes = 1024 * 1024;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.DISCONNECT;
        private int historyRecordsPerPartition = 1_000;
        private int historyBytesPerPartition = 8 * 1024 * 1024;
        private int lastValueMaxKeys = 100_000;
        private Duration feedIdleTimeout = Duration.ofMinutes(5);
        private int maxSubscriptionsPerConnection = 256;
        private int maxPendingPublishesPerConnection = 1_024;
        private int maxPrefetch = 1_000;
        private Duration queueMessageTimeout = Duration.ofSeconds(30);
        private int queueMaxInFlight = 1_000;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int resumeThreads = 2;
        private int socketSendBufferBytes;
        private final Map<String, Object> kafkaProperties = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(GatewayConfig c) {
            bootstrapServers = c.bootstrapServers;
            host = c.host;
            port = c.port;
            path = c.path;
            gatewayId = c.gatewayId;
            ioThreads = c.ioThreads;
            maxFrameBytes = c.maxFrameBytes;
            outboundBufferBytes = c.outboundBufferBytes;
            slowConsumerPolicy = c.slowConsumerPolicy;
            historyRecordsPerPartition = c.historyRecordsPerPartition;
            historyBytesPerPartition = c.historyBytesPerPartition;
            lastValueMaxKeys = c.lastValueMaxKeys;
            feedIdleTimeout = c.feedIdleTimeout;
            maxSubscriptionsPerConnection = c.maxSubscriptionsPerConnection;
            maxPendingPublishesPerConnection = c.maxPendingPublishesPerConnection;
            maxPrefetch = c.maxPrefetch;
            queueMessageTimeout = c.queueMessageTimeout;
            queueMaxInFlight = c.queueMaxInFlight;
            handshakeTimeout = c.handshakeTimeout;
            resumeThreads = c.resumeThreads;
            socketSendBufferBytes = c.socketSendBufferBytes;
            kafkaProperties.putAll(c.kafkaProperties);
        }

        /** The Kafka cluster; required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The bind address; default {@code 0.0.0.0}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The listener port, 0 for any free port; default 8080. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The WebSocket path; default {@code /ws}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** This gateway's name; default {@code gw-} and 8 random hex digits. */
        public Builder gatewayId(String gatewayId) {
            this.gatewayId = gatewayId;
            return this;
        }

        /** Netty I/O threads; default the number of processors. */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** Largest inbound frame in bytes, 1 KiB..64 MiB; default 64 KiB. Larger frames close with 1009. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Outbound buffer cap per connection in bytes, at least 4 KiB; default 1 MiB. */
        public Builder outboundBufferBytes(int outboundBufferBytes) {
            this.outboundBufferBytes = outboundBufferBytes;
            return this;
        }

        /** The slow-consumer policy of fan-out subscribers; default {@link SlowConsumerPolicy#DISCONNECT}. */
        public Builder slowConsumerPolicy(SlowConsumerPolicy slowConsumerPolicy) {
            this.slowConsumerPolicy = slowConsumerPolicy;
            return this;
        }

        /** Records of history per partition; default 1000. Older positions are resumed by reading Kafka. */
        public Builder historyRecordsPerPartition(int records) {
            this.historyRecordsPerPartition = records;
            return this;
        }

        /** Bytes of history per partition; default 8 MiB. */
        public Builder historyBytesPerPartition(int bytes) {
            this.historyBytesPerPartition = bytes;
            return this;
        }

        /** Keys with a last value per topic; default 100,000; 0 disables {@code from: "last"}. */
        public Builder lastValueMaxKeys(int keys) {
            this.lastValueMaxKeys = keys;
            return this;
        }

        /** How long a fan-out feed without subscriptions keeps its caches; default 5 min. */
        public Builder feedIdleTimeout(Duration timeout) {
            this.feedIdleTimeout = timeout;
            return this;
        }

        /** Subscriptions per connection; default 256. */
        public Builder maxSubscriptionsPerConnection(int max) {
            this.maxSubscriptionsPerConnection = max;
            return this;
        }

        /** Unacknowledged publishes per connection; default 1024. */
        public Builder maxPendingPublishesPerConnection(int max) {
            this.maxPendingPublishesPerConnection = max;
            return this;
        }

        /** Largest prefetch of a queue subscription; default 1000. */
        public Builder maxPrefetch(int maxPrefetch) {
            this.maxPrefetch = maxPrefetch;
            return this;
        }

        /** kmq message timeout of queue groups; default 30 s. */
        public Builder queueMessageTimeout(Duration timeout) {
            this.queueMessageTimeout = timeout;
            return this;
        }

        /** Records a queue group holds in flight on this gateway, at least {@code maxPrefetch}; default 1000. */
        public Builder queueMaxInFlight(int max) {
            this.queueMaxInFlight = max;
            return this;
        }

        /** WebSocket handshake timeout; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Threads reading Kafka for resumes older than the history; default 2. */
        public Builder resumeThreads(int threads) {
            this.resumeThreads = threads;
            return this;
        }

        /** {@code SO_SNDBUF} of client connections, 0 for the OS default (the default). */
        public Builder socketSendBufferBytes(int bytes) {
            this.socketSendBufferBytes = bytes;
            return this;
        }

        /** Adds a property for every Kafka client of the gateway, e.g. {@code security.protocol}. */
        public Builder kafkaProperty(String key, Object value) {
            this.kafkaProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting, its value and what was expected
         */
        public GatewayConfig build() {
            return new GatewayConfig(this);
        }
    }
}
