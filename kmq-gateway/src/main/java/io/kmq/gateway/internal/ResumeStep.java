package io.kmq.gateway.internal;

import java.util.List;

/**
 * The outcome of one step of resuming a subscription from the history, see {@link TopicFeed#resumeStep}.
 *
 * @param kind      what happened
 * @param uncovered for {@link Kind#UNCOVERED}: the partitions whose position is older than the history
 */
record ResumeStep(Kind kind, List<Integer> uncovered) {

    static final ResumeStep LIVE = new ResumeStep(Kind.LIVE, List.of());
    static final ResumeStep PROGRESS = new ResumeStep(Kind.PROGRESS, List.of());
    static final ResumeStep CANCELLED = new ResumeStep(Kind.CANCELLED, List.of());

    /** What a step did. */
    enum Kind {
        /** The subscription caught up and now receives live records. */
        LIVE,
        /** Some records were replayed from the history; more remain than the buffer's room allowed. */
        PROGRESS,
        /** Some partitions must be read from Kafka first. */
        UNCOVERED,
        /** The subscription ended meanwhile. */
        CANCELLED
    }
}
