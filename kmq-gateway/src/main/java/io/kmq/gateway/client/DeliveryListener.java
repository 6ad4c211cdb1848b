package io.kmq.gateway.client;

/** Receives the deliveries of a queue subscription on the client's I/O thread; see {@link SubscriptionListener}. */
@FunctionalInterface
public interface DeliveryListener {

    /** A record for this client to process and then {@link QueueDelivery#ack()} or {@link QueueDelivery#nack}. */
    void onDelivery(QueueDelivery delivery);
}
