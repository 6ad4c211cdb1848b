package io.kmq.redelivery;

import org.apache.kafka.streams.KafkaStreams;

/** The life-cycle state of a {@link RedeliveryTracker}, a simplified view of its Kafka Streams state. */
public enum TrackerState {
    /** Created, not yet part of the group. */
    STARTING,
    /** Joining the group or (re)assigning markers partitions; state may be restoring. */
    REBALANCING,
    /** Tracking and redelivering. */
    RUNNING,
    /** Closing. */
    STOPPING,
    /** Closed. */
    STOPPED,
    /** Stopped after an unrecoverable error. */
    FAILED;

    /** The tracker state for a Kafka Streams state. */
    static TrackerState of(KafkaStreams.State state) {
        return switch (state) {
            case CREATED -> STARTING;
            case REBALANCING -> REBALANCING;
            case RUNNING -> RUNNING;
            case PENDING_SHUTDOWN -> STOPPING;
            case NOT_RUNNING -> STOPPED;
            case PENDING_ERROR, ERROR -> FAILED;
        };
    }
}
