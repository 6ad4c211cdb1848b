package io.kmq.gateway.client;

/**
 * Records a subscription can no longer get: Kafka's retention deleted them before the subscription resumed.
 *
 * @param subscription the subscription's endpoint
 * @param missed       at most this many records were skipped
 * @param reason       why ({@code RETENTION})
 * @param token        the resume token after the gap
 */
public record GapNotice(String subscription, long missed, String reason, String token) {
}
