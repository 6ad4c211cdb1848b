package io.kmq.gateway.client;

/**
 * Receives the records of a fan-out subscription, in order, on the client's I/O thread: keep it short and hand heavy
 * work to another thread (a listener that blocks stops this client from reading, and the gateway then treats it as
 * a slow consumer).
 */
@FunctionalInterface
public interface SubscriptionListener {

    /** A record of the subscription. */
    void onMessage(GatewayMessage message);

    /** Records were lost to retention before the subscription resumed; by default ignored. */
    default void onGap(GapNotice gap) {
    }

    /** The gateway ended the subscription after it had started (for example, its resume token was refused). */
    default void onEnd(GatewayException cause) {
    }
}
