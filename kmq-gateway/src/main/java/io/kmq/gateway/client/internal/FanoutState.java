package io.kmq.gateway.client.internal;

import io.kmq.gateway.client.SubscribeOptions;
import io.kmq.gateway.client.Subscription;
import io.kmq.gateway.client.SubscriptionListener;
import io.kmq.gateway.internal.ClientCommand;
import io.kmq.gateway.internal.Endpoint;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A fan-out subscription of the client: its listener and the token after the last record received. */
final class FanoutState implements Subscription {

    final Endpoint endpoint;
    final String text;
    final ClientCommand.From from;
    final SubscriptionListener listener;
    final CompletableFuture<Subscription> started = new CompletableFuture<>();
    /** Written on the event loop, read by users from any thread. */
    volatile String lastToken;
    private final ClientEngine engine;

    FanoutState(ClientEngine engine, Endpoint endpoint, SubscribeOptions options, SubscriptionListener listener) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.text = endpoint.toString();
        this.from = options.last() ? ClientCommand.From.LAST : ClientCommand.From.NEW;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lastToken = options.resumeToken();
    }

    @Override
    public String endpoint() {
        return text;
    }

    @Override
    public String lastToken() {
        return lastToken;
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
        return engine.unsubscribe(text, false, new ClientCommand.Unsubscribe(null, endpoint, null));
    }
}
