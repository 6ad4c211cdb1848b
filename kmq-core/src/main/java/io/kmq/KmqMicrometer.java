package io.kmq;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link KmqClient}'s {@link KmqClientMetrics} to Micrometer as meters named {@code kmq.client.*}, tagged
 * with {@code topic} and {@code group}. Needs {@code micrometer-core} on the class path (an optional dependency of
 * kmq-core); {@link KmqClient} itself does not.
 *
 * <p>Meters: function counters {@code kmq.client.polled}, {@code .started}, {@code .processed}, {@code .released},
 * {@code .rejected}, {@code .extended}, {@code .marker.send.failures}; gauge {@code kmq.client.in.flight}; time gauge
 * {@code kmq.client.oldest.in.flight.age}.
 */
public final class KmqMicrometer implements MeterBinder {

    private final KmqClient<?, ?> client;
    private final Tags tags;

    /** A binder for {@code client}, tagged with its topic and group plus {@code extraTags}. */
    public KmqMicrometer(KmqClient<?, ?> client, Iterable<Tag> extraTags) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of("topic", client.config().topic(), "group", client.config().groupId())
                .and(Objects.requireNonNull(extraTags, "extraTags"));
    }

    /** A binder for {@code client}, tagged with its topic and group. */
    public KmqMicrometer(KmqClient<?, ?> client) {
        this(client, Tags.empty());
    }

    /** Registers the meters of {@code client} in {@code registry}. */
    public static void bind(KmqClient<?, ?> client, MeterRegistry registry) {
        new KmqMicrometer(client).bindTo(registry);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "polled", "records taken from Kafka into batches", KmqClientMetrics::polled);
        counter(registry, "started", "START markers acknowledged by the broker", KmqClientMetrics::started);
        counter(registry, "processed", "END markers sent", KmqClientMetrics::processed);
        counter(registry, "released", "RELEASE markers sent", KmqClientMetrics::released);
        counter(registry, "rejected", "REJECT markers sent", KmqClientMetrics::rejected);
        counter(registry, "extended", "EXTEND markers sent", KmqClientMetrics::extended);
        counter(registry, "marker.send.failures", "markers not acknowledged or refused by the producer",
                KmqClientMetrics::markerSendFailures);
        counter(registry, "expired", "records held past their timeout without acknowledgment",
                KmqClientMetrics::expired);
        Gauge.builder("kmq.client.in.flight", client, c -> c.metrics().inFlight())
                .description("records handed out and not yet processed, released or rejected")
                .tags(tags)
                .register(registry);
        TimeGauge.builder("kmq.client.oldest.in.flight.age", client, TimeUnit.MILLISECONDS,
                        c -> c.metrics().oldestInFlightAge().toMillis())
                .description("how long the oldest in-flight record has been held")
                .tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToLongFunction<KmqClientMetrics> value) {
        FunctionCounter.builder("kmq.client." + name, client, c -> value.applyAsLong(c.metrics()))
                .description(description)
                .tags(tags)
                .register(registry);
    }
}
