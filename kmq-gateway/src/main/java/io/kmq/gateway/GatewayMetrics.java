package io.kmq.gateway;

/**
 * A snapshot of a gateway's counters since it started; see {@link Gateway#metrics()}.
 *
 * @param connections             WebSocket connections open now
 * @param messagesSent            fan-out {@code message} frames written
 * @param deliveriesSent          queue {@code delivery} frames written
 * @param conflatedMessages       fan-out values skipped by conflation (a newer value of the endpoint replaced them)
 * @param slowConsumerDisconnects connections closed with {@link GatewayProtocol#CLOSE_SLOW_CONSUMER}
 * @param errorsSent              {@code error} frames written
 * @param publishesAcknowledged   publishes Kafka acknowledged
 * @param publishesFailed         publishes that failed or were refused
 * @param maxOutboundBytes        the largest outbound buffer (queued, conflated and in the socket layer) any
 *                                connection reached, in bytes
 * @param resumesFromHistory      resumes served from the in-memory history alone
 * @param resumesFromKafka        resumes that read Kafka because their position was older than the history
 * @param feeds                   fan-out feeds running now (one per topic with subscriptions, until idle)
 * @param queueGroups             queue groups consuming on this gateway now
 */
public record GatewayMetrics(long connections, long messagesSent, long deliveriesSent, long conflatedMessages,
                             long slowConsumerDisconnects, long errorsSent, long publishesAcknowledged,
                             long publishesFailed, long maxOutboundBytes, long resumesFromHistory,
                             long resumesFromKafka, long feeds, long queueGroups) {
}
