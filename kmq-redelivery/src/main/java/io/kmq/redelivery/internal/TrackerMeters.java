package io.kmq.redelivery.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Registers a tracker's meters in Micrometer. A separate class so that micrometer-core is needed only by applications
 * that call {@code bindTo}.
 */
public final class TrackerMeters {

    private TrackerMeters() {
    }

    /**
     * Registers per-topic counters and gauges and the tracker-wide caught-up and lag gauges.
     *
     * @param caughtUp   whether the tracker is running and caught up
     * @param markersLag the markers lag, {@code -1} if unknown (reported as NaN)
     */
    public static void bind(MeterRegistry registry, String applicationId, TrackerStats stats, BooleanSupplier caughtUp,
                            LongSupplier markersLag) {
        Tags app = Tags.of("application", applicationId);
        for (TopicStats topic : stats.topics()) {
            Tags tags = app.and("topic", topic.topic());
            Gauge.builder("kmq.tracker.inflight", topic, TopicStats::inFlight).tags(tags)
                    .description("Messages started and not yet ended, redelivered or dead-lettered")
                    .register(registry);
            TimeGauge.builder("kmq.tracker.inflight.oldest.age", topic, TimeUnit.MILLISECONDS,
                    t -> t.oldestFirstStart() == Long.MAX_VALUE ? 0 : System.currentTimeMillis() - t.oldestFirstStart())
                    .tags(tags).description("How long ago the oldest in-flight message first started")
                    .register(registry);
            FunctionCounter.builder("kmq.tracker.redeliveries", topic, TopicStats::redeliveries).tags(tags)
                    .description("Messages redelivered").register(registry);
            FunctionCounter.builder("kmq.tracker.dead.letters", topic, TopicStats::deadLetters).tags(tags)
                    .description("Messages sent to the dead-letter topic").register(registry);
            FunctionCounter.builder("kmq.tracker.markers.skipped", topic, TopicStats::skippedMarkers).tags(tags)
                    .description("Malformed markers skipped").register(registry);
            FunctionCounter.builder("kmq.tracker.ticks", topic, TopicStats::ticks).tags(tags)
                    .description("Ticks written to idle markers partitions").register(registry);
        }
        Gauge.builder("kmq.tracker.markers.lag", markersLag, s -> {
            long lag = s.getAsLong();
            return lag < 0 ? Double.NaN : lag;
        }).tags(app).description("Markers not yet read by this instance").strongReference(true).register(registry);
        Gauge.builder("kmq.tracker.caught.up", caughtUp, s -> s.getAsBoolean() ? 1 : 0).tags(app)
                .description("1 when running and caught up on the markers, else 0").strongReference(true)
                .register(registry);
    }
}
