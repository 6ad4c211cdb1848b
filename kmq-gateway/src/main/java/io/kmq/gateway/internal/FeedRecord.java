package io.kmq.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of a fan-out topic as the gateway keeps and sends it: immutable and shared by every subscriber, history
 * and last-value cache, so its payload is decoded once.
 *
 * @param partition the Kafka partition
 * @param offset    the Kafka offset
 * @param timestamp the Kafka timestamp in epoch milliseconds
 * @param key       the key decoded as UTF-8, or null for a record without key
 * @param endpoint  the record's endpoint text, {@code /t/k} or {@code /t}
 * @param payload   the value
 */
public record FeedRecord(int partition, long offset, long timestamp, String key, String endpoint, Payload payload) {

    /** JSON framing of a message frame beyond payload, endpoints and token: op, field names, timestamp. */
    private static final int FRAME_OVERHEAD = 112;

    /** Checks required components. */
    public FeedRecord {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(payload, "payload");
    }

    /** The record of a consumed Kafka record; keys are decoded as UTF-8 (invalid bytes become U+FFFD). */
    public static FeedRecord of(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new FeedRecord(record.partition(), record.offset(), record.timestamp(), key,
                Endpoint.ofRecord(record.topic(), key).toString(), Payload.ofBytes(record.value()));
    }

    /** What the record costs in the history, in bytes (payload and key, plus a fixed overhead). */
    public long historyBytes() {
        return payload.size() + (key == null ? 0 : 2L * key.length()) + 64;
    }

    /**
     * An upper estimate of the frame that carries this record, in bytes, given the subscription's endpoint and token
     * lengths; used to account for outbound buffers before frames are encoded.
     */
    public long frameBytes(int subscriptionLength, int tokenLength) {
        long payloadBytes = payload.text() != null ? payload.size() + payload.size() / 8 : (payload.size() + 2) / 3 * 4L;
        return FRAME_OVERHEAD + payloadBytes + 2L * endpoint.length() + subscriptionLength + tokenLength;
    }
}
