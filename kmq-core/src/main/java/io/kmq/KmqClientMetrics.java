package io.kmq;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of one {@link KmqClient}'s counters, taken by {@link KmqClient#metrics()}. Counters are totals since the
 * client was created; {@code inFlight} and {@code oldestInFlightAge} are current values.
 *
 * @param polled             records taken from Kafka into batches (a batch whose START markers fail is counted)
 * @param started            records whose START marker the broker acknowledged, or that needed none (processed before
 *                           it was written, {@code kmq.start.skip.processed})
 * @param processed          records acknowledged with {@link KmqClient#processed} or {@link KmqClient#processedAll}
 *                           (each record given to an open client; a marker the producer then refuses is counted in
 *                           {@code markerSendFailures} too)
 * @param released           records released with {@link KmqClient#release}, counted the same way
 * @param rejected           records rejected with {@link KmqClient#reject}, counted the same way
 * @param extended           extensions asked for with {@link KmqClient#extend}, counted the same way
 * @param markerSendFailures markers of any type the broker did not acknowledge or the producer refused
 * @param expired            records held past their timeout without acknowledgment, no longer counted in flight
 * @param inFlight           records handed out and not yet processed, released or rejected
 * @param oldestInFlightAge  how long the oldest in-flight record has been held, zero if none is
 */
public record KmqClientMetrics(long polled, long started, long processed, long released, long rejected, long extended,
                               long markerSendFailures, long expired, int inFlight, Duration oldestInFlightAge) {

    /** Checks that the age is present. */
    public KmqClientMetrics {
        Objects.requireNonNull(oldestInFlightAge, "oldestInFlightAge");
    }
}
