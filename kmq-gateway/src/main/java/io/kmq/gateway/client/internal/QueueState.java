package io.kmq.gateway.client.internal;

import io.kmq.gateway.client.DeliveryListener;
import io.kmq.gateway.client.QueueSubscription;
import io.kmq.gateway.internal.ClientCommand;
import io.kmq.gateway.internal.Endpoint;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A queue subscription of the client. */
final class QueueState implements QueueSubscription {

    final Endpoint endpoint;
    final String group;
    final int prefetch;
    final DeliveryListener listener;
    final String key;
    final CompletableFuture<QueueSubscription> started = new CompletableFuture<>();
    private final ClientEngine engine;

    QueueState(ClientEngine engine, Endpoint endpoint, String group, int prefetch, DeliveryListener listener) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.group = group;
        this.prefetch = prefetch;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.key = key(endpoint.toString(), group);
    }

    /** The client's key of the subscription to {@code endpoint} in {@code group}. */
    static String key(String endpoint, String group) {
        return endpoint + "\u0000" + group;
    }

    @Override
    public String endpoint() {
        return endpoint.toString();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public int prefetch() {
        return prefetch;
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
        return engine.unsubscribe(key, true, new ClientCommand.Unsubscribe(null, endpoint, group));
    }
}
