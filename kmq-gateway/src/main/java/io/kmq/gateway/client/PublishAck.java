package io.kmq.gateway.client;

import java.time.Instant;

/**
 * Kafka's acknowledgment of a publish: where the record was written.
 *
 * @param endpoint  the endpoint published to
 * @param partition the Kafka partition
 * @param offset    the Kafka offset
 * @param timestamp the record's Kafka timestamp
 */
public record PublishAck(String endpoint, int partition, long offset, Instant timestamp) {
}
