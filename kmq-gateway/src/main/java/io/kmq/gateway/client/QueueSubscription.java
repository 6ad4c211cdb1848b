package io.kmq.gateway.client;

import java.util.concurrent.CompletableFuture;

/** A queue subscription of a {@link GatewayClient}: membership in a kmq group; renewed after reconnects. */
public interface QueueSubscription {

    /** The topic endpoint, {@code /t}. */
    String endpoint();

    /** The kmq group. */
    String group();

    /** The most unacknowledged deliveries this client holds. */
    int prefetch();

    /** Leaves the group; deliveries not acknowledged go to other members. */
    CompletableFuture<Void> unsubscribe();
}
