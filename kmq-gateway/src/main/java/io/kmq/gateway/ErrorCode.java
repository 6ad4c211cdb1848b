package io.kmq.gateway;

/**
 * The codes of {@code error} frames, as specified in {@code docs/protocol.md}. An error answers one request (its
 * {@code id} is echoed) and never closes the connection; conditions that do close it use the close codes of
 * {@link GatewayProtocol}.
 */
public enum ErrorCode {
    /** The text frame is not a JSON object. */
    BAD_JSON,
    /** A field is missing, has the wrong type or is out of range; the message names it. */
    BAD_REQUEST,
    /** The {@code op} is not one of the operations of this protocol version. */
    UNKNOWN_OP,
    /** A binary frame was sent; the protocol uses text frames only. */
    UNSUPPORTED_FRAME,
    /** The endpoint is not {@code /t/k}, {@code /t/*} or {@code /t} where the operation needs it. */
    INVALID_ENDPOINT,
    /** The topic of the endpoint does not exist; the gateway never creates topics. */
    UNKNOWN_TOPIC,
    /** The connection already has a subscription to this endpoint (and group). */
    ALREADY_SUBSCRIBED,
    /** Unsubscribe named an endpoint (and group) the connection is not subscribed to. */
    NOT_SUBSCRIBED,
    /** The connection reached the gateway's subscription limit. */
    TOO_MANY_SUBSCRIPTIONS,
    /** The resume token is malformed or belongs to another topic. */
    INVALID_TOKEN,
    /** Kafka did not acknowledge the published record; the message carries Kafka's reason. */
    PUBLISH_FAILED,
    /** The connection has too many publishes that Kafka has not acknowledged yet. */
    TOO_MANY_PENDING_PUBLISHES,
    /** Ack or nack named a delivery tag that this connection does not hold (acknowledged before, or released). */
    UNKNOWN_TAG,
    /** The kmq queue cannot be consumed, for example because its markers topic is missing. */
    QUEUE_UNAVAILABLE,
    /** The gateway is shutting down. */
    UNAVAILABLE,
    /** An unexpected failure in the gateway; it is logged there. */
    INTERNAL,
    /** Client side only: the connection closed before the answer arrived, so the outcome is unknown. */
    CONNECTION_LOST
}
