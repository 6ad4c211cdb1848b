package io.kmq.gateway;

/**
 * What the gateway does with a fan-out subscriber whose outbound buffer is full (it reads more slowly than records
 * arrive). Queue subscribers are never conflated or disconnected: they simply get no more deliveries until their
 * buffer drains.
 */
public enum SlowConsumerPolicy {
    /**
     * Keep only the latest value of each endpoint until the client catches up; messages sent after skipping carry
     * {@code "conflated": true}. If even the latest values exceed the buffer, the client is disconnected.
     */
    CONFLATE,
    /** Close the connection with {@link GatewayProtocol#CLOSE_SLOW_CONSUMER}; the client reconnects and resumes. */
    DISCONNECT
}
