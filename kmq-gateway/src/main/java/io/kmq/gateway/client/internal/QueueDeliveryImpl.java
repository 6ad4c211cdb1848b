package io.kmq.gateway.client.internal;

import io.kmq.gateway.client.QueueDelivery;
import io.kmq.gateway.internal.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A delivery received on one connection; acknowledging it after that connection is gone does nothing. */
final class QueueDeliveryImpl implements QueueDelivery {

    private final ClientEngine engine;
    private final long connection;
    private final ServerMessage.Delivery delivery;
    private final String key;

    QueueDeliveryImpl(ClientEngine engine, long connection, ServerMessage.Delivery delivery, String key) {
        this.engine = engine;
        this.connection = connection;
        this.delivery = delivery;
        this.key = key;
    }

    @Override
    public String subscription() {
        return delivery.subscription();
    }

    @Override
    public String group() {
        return delivery.group();
    }

    @Override
    public String endpoint() {
        return delivery.endpoint();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public byte[] payload() {
        return delivery.payload().bytes();
    }

    @Override
    public String payloadAsString() {
        byte[] bytes = delivery.payload().bytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(delivery.timestamp());
    }

    @Override
    public int redeliveries() {
        return delivery.redeliveries();
    }

    @Override
    public void ack() {
        engine.acknowledge(connection, delivery.tag(), null);
    }

    @Override
    public void nack(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay : " + delay + " (expected: >= 0)");
        }
        engine.acknowledge(connection, delivery.tag(), delay);
    }

    @Override
    public String toString() {
        return "QueueDelivery{" + delivery.endpoint() + " tag " + delivery.tag() + " = " + payloadAsString() + "}";
    }
}
