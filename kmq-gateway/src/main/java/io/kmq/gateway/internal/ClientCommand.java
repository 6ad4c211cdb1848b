package io.kmq.gateway.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * A request from a client, decoded from a text frame by {@link JsonCodec}; the wire form of each is specified in
 * {@code docs/protocol.md}. Every request may carry an {@code id}, echoed in its answer.
 */
public sealed interface ClientCommand {

    /** The client's id of this request, or null. */
    String id();

    /** Where a new fan-out subscription starts when it does not resume. */
    enum From {
        /** With the next record that arrives. */
        NEW,
        /** With the last value of each endpoint the gateway knows, then the next records. */
        LAST
    }

    /**
     * Subscribe to {@code /t/k} or {@code /t/*} in fan-out mode.
     *
     * @param resume a resume token to continue from, or null
     */
    record SubscribeFanout(String id, Endpoint endpoint, From from, String resume) implements ClientCommand {
        /** Checks the endpoint form. */
        public SubscribeFanout {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(from, "from");
            if (endpoint.kind() == Endpoint.Kind.TOPIC) {
                throw new IllegalArgumentException("endpoint : " + endpoint + " (expected: /t/k or /t/*)");
            }
        }
    }

    /** Subscribe to topic {@code /t} as a member of kmq group {@code group}, holding at most {@code prefetch}. */
    record SubscribeQueue(String id, Endpoint endpoint, String group, int prefetch) implements ClientCommand {
        /** Checks the endpoint form and the prefetch. */
        public SubscribeQueue {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(group, "group");
            if (endpoint.kind() != Endpoint.Kind.TOPIC) {
                throw new IllegalArgumentException("endpoint : " + endpoint + " (expected: /t)");
            }
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch : " + prefetch + " (expected: >= 1)");
            }
        }
    }

    /** End the subscription to {@code endpoint} (of {@code group} in queue mode, else null). */
    record Unsubscribe(String id, Endpoint endpoint, String group) implements ClientCommand {
        /** Checks the endpoint is present. */
        public Unsubscribe {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /** Produce {@code payload} to the topic of {@code endpoint} with its key ({@code /t/k}) or none ({@code /t}). */
    record Publish(String id, Endpoint endpoint, Payload payload) implements ClientCommand {
        /** Checks the endpoint form. */
        public Publish {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(payload, "payload");
            if (endpoint.kind() == Endpoint.Kind.ALL_KEYS) {
                throw new IllegalArgumentException("endpoint : " + endpoint + " (expected: /t/k or /t)");
            }
        }
    }

    /** The queue delivery {@code tag} was processed. */
    record Ack(String id, long tag) implements ClientCommand {
    }

    /** The queue delivery {@code tag} was not processed: release it for redelivery after {@code delay}. */
    record Nack(String id, long tag, Duration delay) implements ClientCommand {
        /** Checks the delay. */
        public Nack {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay : " + delay + " (expected: >= 0)");
            }
        }
    }
}
