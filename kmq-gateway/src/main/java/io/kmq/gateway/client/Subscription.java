package io.kmq.gateway.client;

import java.util.concurrent.CompletableFuture;

/** A fan-out subscription of a {@link GatewayClient}; it survives reconnects, resuming where it stopped. */
public interface Subscription {

    /** The endpoint subscribed to. */
    String endpoint();

    /** The resume token after the last record received (or the start), for resuming elsewhere later. */
    String lastToken();

    /** Ends the subscription; completes when the gateway confirmed (or at once while disconnected). */
    CompletableFuture<Void> unsubscribe();
}
