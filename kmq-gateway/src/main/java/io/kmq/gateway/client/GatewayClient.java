package io.kmq.gateway.client;

import io.kmq.gateway.client.internal.ClientEngine;
import io.kmq.gateway.internal.Endpoint;
import io.kmq.gateway.internal.Payload;
import io.kmq.gateway.internal.ProtocolException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A Java client of kmq gateways: connects to one of a list of gateways, fails over to the next when the connection is
 * lost, and renews its subscriptions there, fan-out ones from the token after the last record received (no record
 * missed or repeated). Thread-safe; listeners run on the client's single I/O thread, in order.
 *
 * <pre>{@code
 * try (GatewayClient client = GatewayClient.connect(GatewayClientConfig.builder()
 *         .address(URI.create("ws://gw1:8080/ws")).address(URI.create("ws://gw2:8080/ws")).build())) {
 *     client.subscribe("/prices/EURUSD", SubscribeOptions.fromLast(), m -> show(m.payloadAsString())).join();
 *     client.publish("/prices/EURUSD", "1.0842").join(); // completes once Kafka acknowledged the record
 * }
 * }</pre>
 */
public final class GatewayClient implements AutoCloseable {

    private final ClientEngine engine;

    private GatewayClient(ClientEngine engine) {
        this.engine = engine;
    }

    /** Creates a client and starts connecting to the first address; requests made meanwhile wait for the connection. */
    public static GatewayClient connect(GatewayClientConfig config) {
        return new GatewayClient(new ClientEngine(Objects.requireNonNull(config, "config")));
    }

    /** Completes when the client is first connected. */
    public CompletableFuture<Void> connected() {
        return engine.connected();
    }

    /** The gateway this client is connected to now, if any. */
    public Optional<URI> connectedAddress() {
        return engine.connectedAddress();
    }

    /**
     * Subscribes to {@code /t/k} or {@code /t/*} in fan-out mode: every subscriber gets every record.
     *
     * @return completes when the gateway confirmed, or with a {@link GatewayException} if it refused
     * @throws IllegalArgumentException if the endpoint is not {@code /t/k} or {@code /t/*}
     */
    public CompletableFuture<Subscription> subscribe(String endpoint, SubscribeOptions options,
                                                     SubscriptionListener listener) {
        Endpoint parsed = parse(endpoint);
        if (parsed.kind() == Endpoint.Kind.TOPIC) {
            throw new IllegalArgumentException("endpoint : " + endpoint
                    + " (expected: /t/k or /t/* for fan-out; use subscribeQueue for /t)");
        }
        return engine.subscribe(parsed, Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(listener, "listener"));
    }

    /** Subscribes to new records of {@code endpoint}; see {@link #subscribe(String, SubscribeOptions, SubscriptionListener)}. */
    public CompletableFuture<Subscription> subscribe(String endpoint, SubscriptionListener listener) {
        return subscribe(endpoint, SubscribeOptions.fromNew(), listener);
    }

    /**
     * Joins kmq group {@code group} of topic {@code /t}: each record goes to one member, which acknowledges it; this
     * client holds at most {@code prefetch} unacknowledged deliveries.
     *
     * @throws IllegalArgumentException if the endpoint is not {@code /t}, the group empty, or the prefetch below 1
     */
    public CompletableFuture<QueueSubscription> subscribeQueue(String endpoint, String group, int prefetch,
                                                               DeliveryListener listener) {
        Endpoint parsed = parse(endpoint);
        if (parsed.kind() != Endpoint.Kind.TOPIC) {
            throw new IllegalArgumentException("endpoint : " + endpoint + " (expected: /t for a queue)");
        }
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("group : " + group + " (expected: non-empty)");
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch : " + prefetch + " (expected: >= 1)");
        }
        return engine.subscribeQueue(parsed, group, prefetch, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Publishes {@code payload} (UTF-8) to {@code /t/k}, or {@code /t} for a record without key.
     *
     * @return completes once Kafka acknowledged the record ({@code acks=all}); fails with a {@link GatewayException},
     *         {@link io.kmq.gateway.ErrorCode#CONNECTION_LOST} if the connection was lost first (outcome unknown)
     */
    public CompletableFuture<PublishAck> publish(String endpoint, String payload) {
        return engine.publish(publishEndpoint(endpoint), Payload.ofText(payload));
    }

    /** Publishes bytes (copied); see {@link #publish(String, String)}. */
    public CompletableFuture<PublishAck> publish(String endpoint, byte[] payload) {
        return engine.publish(publishEndpoint(endpoint), Payload.ofBytes(payload == null ? null : payload.clone()));
    }

    /** Closes the connection; requests still waiting fail with {@link io.kmq.gateway.ErrorCode#CONNECTION_LOST}. */
    @Override
    public void close() {
        engine.close();
    }

    private static Endpoint publishEndpoint(String endpoint) {
        Endpoint parsed = parse(endpoint);
        if (parsed.kind() == Endpoint.Kind.ALL_KEYS) {
            throw new IllegalArgumentException("endpoint : " + endpoint + " (expected: /t/k or /t to publish)");
        }
        return parsed;
    }

    private static Endpoint parse(String endpoint) {
        try {
            return Endpoint.parse(endpoint);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
