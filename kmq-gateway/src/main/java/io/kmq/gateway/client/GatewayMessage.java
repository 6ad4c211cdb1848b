package io.kmq.gateway.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A record delivered to a fan-out subscription.
 *
 * @param subscription the endpoint subscribed to ({@code /t/k} or {@code /t/*})
 * @param endpoint     the record's endpoint ({@code /t/k}, or {@code /t} for a record without key)
 * @param key          the record's key, or null
 * @param payload      the record's value, or null for a record without value; do not modify
 * @param timestamp    the record's Kafka timestamp
 * @param token        the resume token just after this record
 * @param conflated    whether older values of this endpoint were skipped because this client read too slowly
 */
public record GatewayMessage(String subscription, String endpoint, String key, byte[] payload, Instant timestamp,
                             String token, boolean conflated) {

    /** The payload as UTF-8 text, or null for a record without value. */
    public String payloadAsString() {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "GatewayMessage{" + endpoint + " = " + payloadAsString() + " at " + timestamp + "}";
    }
}
