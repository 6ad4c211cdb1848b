package io.kmq.gateway.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A queue record handed to this client. Exactly one of {@link #ack()} and {@link #nack} should follow; until then the
 * delivery takes one unit of the subscription's prefetch. If the connection is lost first, the gateway gives the
 * record to another member and acknowledging it here does nothing.
 */
public interface QueueDelivery {

    /** The queue subscription's endpoint, {@code /t}. */
    String subscription();

    /** The kmq group. */
    String group();

    /** The record's endpoint, {@code /t/k} or {@code /t}. */
    String endpoint();

    /** The record's key, or null. */
    String key();

    /** The record's value, or null; do not modify. */
    byte[] payload();

    /** The value as UTF-8 text, or null. */
    String payloadAsString();

    /** The record's Kafka timestamp. */
    Instant timestamp();

    /** How many times kmq redelivered this record before. */
    int redeliveries();

    /** Marks the record processed (kmq writes its END marker). Safe from any thread. */
    void ack();

    /** Releases the record: kmq redelivers it after {@code delay} (to any member). Safe from any thread. */
    void nack(Duration delay);

    /** Releases the record for redelivery without delay. */
    default void nack() {
        nack(Duration.ZERO);
    }
}
