package io.kmq.example;

import java.time.Duration;
import java.util.Objects;

/**
 * What the demo runs: how many messages, which fraction the processor drops, the message timeout, the topic's
 * partitions and the redeliveries before a message is dead-lettered.
 *
 * @param messages        messages to send, {@code >= 1}
 * @param dropRate        fraction of deliveries the processor never acknowledges, 0 to 1
 * @param timeout         the kmq message timeout, positive
 * @param partitions      partitions of the message topic, {@code >= 1}
 * @param maxRedeliveries redeliveries before dead-lettering, {@code >= 0}
 */
public record DemoOptions(int messages, double dropRate, Duration timeout, int partitions, int maxRedeliveries) {

    /** Validates every field, naming it in the error. */
    public DemoOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (messages < 1) {
            throw new IllegalArgumentException("--messages : " + messages + " (expected: >= 1)");
        }
        if (dropRate < 0 || dropRate > 1) {
            throw new IllegalArgumentException("--drop : " + dropRate + " (expected: 0 to 1)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout : " + timeout + " (expected: > 0)");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions : " + partitions + " (expected: >= 1)");
        }
        if (maxRedeliveries < 0) {
            throw new IllegalArgumentException("--max-redeliveries : " + maxRedeliveries + " (expected: >= 0)");
        }
    }

    /**
     * How long the demo waits for the last message: every attempt may take a timeout plus the tracker's delay, and
     * a generous margin covers start-up on a slow machine.
     */
    public Duration patience() {
        return timeout.plusSeconds(2).multipliedBy(maxRedeliveries + 2L).plusSeconds(60);
    }
}
