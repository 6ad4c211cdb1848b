package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.util.Objects;

/**
 * A frame from the gateway to a client, encoded by {@link JsonCodec}; the wire form of each is specified in
 * {@code docs/protocol.md}. Nullable components are left out of the JSON when null.
 */
public sealed interface ServerMessage {

    /** The first frame of every connection. */
    record Welcome(int version, String gateway, int maxFrameBytes) implements ServerMessage {
    }

    /** A subscription is in place; {@code token} (fan-out only) is its starting position. */
    record Subscribed(String id, String endpoint, String group, String token) implements ServerMessage {
    }

    /** A subscription has ended. */
    record Unsubscribed(String id, String endpoint, String group) implements ServerMessage {
    }

    /**
     * A record delivered to a fan-out subscription.
     *
     * @param subscription the endpoint subscribed to ({@code /t/k} or {@code /t/*})
     * @param endpoint     the record's own endpoint ({@code /t/k}, or {@code /t} for a record without key)
     * @param timestamp    the record's Kafka timestamp in epoch milliseconds
     * @param token        the subscription's position just after this record
     * @param conflated    whether earlier values of this endpoint were skipped because the client read too slowly
     */
    record Message(String subscription, String endpoint, Payload payload, long timestamp, String token,
                   boolean conflated) implements ServerMessage {
        /** Checks required components. */
        public Message {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Records of a subscription that can no longer be delivered: at most {@code missed} of them were skipped.
     *
     * @param reason {@code RETENTION}: Kafka's retention deleted them
     * @param token  the subscription's position after the gap
     */
    record Gap(String subscription, long missed, String reason, String token) implements ServerMessage {
    }

    /** Kafka acknowledged the publish with id {@code id}: the record is at {@code partition}/{@code offset}. */
    record PublishAck(String id, String endpoint, int partition, long offset, long timestamp) implements ServerMessage {
    }

    /**
     * A queue record handed to this client, which must {@code ack} or {@code nack} it by {@code tag}.
     *
     * @param redeliveries how many times kmq redelivered the record before
     */
    record Delivery(String subscription, String group, long tag, String endpoint, Payload payload, long timestamp,
                    int redeliveries) implements ServerMessage {
        /** Checks required components. */
        public Delivery {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** A refused request, or a condition the client should know about. */
    record ErrorReply(String id, ErrorCode code, String message) implements ServerMessage {
        /** Checks required components. */
        public ErrorReply {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
