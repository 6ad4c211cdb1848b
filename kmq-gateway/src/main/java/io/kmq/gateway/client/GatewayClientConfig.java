package io.kmq.gateway.client;

import static io.kmq.gateway.internal.Checks.atLeast;
import static io.kmq.gateway.internal.Checks.positive;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of a {@link GatewayClient}, built with {@link #builder()} and validated when built: the
 * gateways to connect to (tried in order, the next one after a failure) and the reconnect timing.
 */
public final class GatewayClientConfig {

    private final List<URI> addresses;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration connectTimeout;
    private final int maxFrameBytes;
    private final int maxPendingRequests;
    private final ConnectionListener connectionListener;

    private GatewayClientConfig(Builder b) {
        if (b.addresses.isEmpty()) {
            throw new IllegalArgumentException("addresses : [] (expected: at least one ws:// address)");
        }
        for (URI address : b.addresses) {
            if (!"ws".equalsIgnoreCase(address.getScheme()) || address.getHost() == null) {
                throw new IllegalArgumentException("address : " + address + " (expected: ws://host:port/path)");
            }
        }
        this.addresses = List.copyOf(b.addresses);
        this.reconnectDelay = positive("reconnectDelay", b.reconnectDelay);
        this.maxReconnectDelay = positive("maxReconnectDelay", b.maxReconnectDelay);
        if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay : " + maxReconnectDelay + " (expected: >= "
                    + "reconnectDelay (" + reconnectDelay + "))");
        }
        this.connectTimeout = positive("connectTimeout", b.connectTimeout);
        this.maxFrameBytes = atLeast("maxFrameBytes", b.maxFrameBytes, 1024);
        this.maxPendingRequests = atLeast("maxPendingRequests", b.maxPendingRequests, 1);
        this.connectionListener = Objects.requireNonNull(b.connectionListener, "connectionListener");
    }

    /** A builder; at least one address is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The gateways, in the order they are tried. */
    public List<URI> addresses() {
        return addresses;
    }

    /** The delay before the second attempt after a connection is lost (the first goes to the next gateway at once). */
    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    /** The longest delay between attempts; delays double up to it. */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** How long a TCP connect and WebSocket handshake may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The largest frame accepted from a gateway, in bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The most publishes and subscription requests waiting for an answer or a connection. */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** Told about connections and disconnections. */
    public ConnectionListener connectionListener() {
        return connectionListener;
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private final List<URI> addresses = new ArrayList<>();
        private Duration reconnectDelay = Duration.ofMillis(100);
        private Duration maxReconnectDelay = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxFrameBytes = 16 * 1024 * 1024;
        private int maxPendingRequests = 10_000;
        private ConnectionListener connectionListener = new ConnectionListener() {
        };

        private Builder() {
        }

        /** Adds gateways to connect to, such as {@code ws://gw1:8080/ws}. */
        public Builder addresses(List<URI> uris) {
            addresses.addAll(uris);
            return this;
        }

        /** Adds a gateway to connect to. */
        public Builder address(URI uri) {
            addresses.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /** The first backoff delay; default 100 ms. */
        public Builder reconnectDelay(Duration delay) {
            this.reconnectDelay = delay;
            return this;
        }

        /** The longest backoff delay; default 5 s. */
        public Builder maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = delay;
            return this;
        }

        /** Connect and handshake timeout; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Largest inbound frame; default 16 MiB. */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /** Requests waiting for an answer or a connection; default 10,000. */
        public Builder maxPendingRequests(int max) {
            this.maxPendingRequests = max;
            return this;
        }

        /** A listener for connection changes; default none. */
        public Builder connectionListener(ConnectionListener listener) {
            this.connectionListener = listener;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public GatewayClientConfig build() {
            return new GatewayClientConfig(this);
        }
    }
}
