package io.kmq.redelivery;

import java.time.Duration;

/**
 * A snapshot of a {@link RedeliveryTracker}'s metrics, summed over the topics it serves. In-flight figures cover the
 * markers partitions this instance owns; counters count since this instance started.
 *
 * @param inFlight           messages started and not yet ended, redelivered or dead-lettered
 * @param oldestInFlightAge  how long ago the oldest in-flight message first started ({@link Duration#ZERO} if none);
 *                           refreshed every few seconds
 * @param redeliveries       messages redelivered
 * @param deadLettered       messages written to a dead-letter topic (including content-less ones for deleted offsets)
 * @param skippedMarkers     malformed markers skipped
 * @param markersLag         markers not yet read, or {@code -1} if not known yet
 * @param ticks              ticks written to idle markers partitions
 */
public record TrackerMetrics(long inFlight, Duration oldestInFlightAge, long redeliveries, long deadLettered,
                             long skippedMarkers, long markersLag, long ticks) {
}
