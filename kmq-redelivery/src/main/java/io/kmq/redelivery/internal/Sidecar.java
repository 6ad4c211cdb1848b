package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerMetrics;
import io.kmq.redelivery.TrackerSettings;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the sidecar runs: a {@link RedeliveryTracker}, a Prometheus registry with the tracker's and the JVM's meters,
 * and the {@link HealthServer}. {@link #close()} stops all three even if one fails.
 */
public final class Sidecar implements AutoCloseable {

    private final RedeliveryTracker tracker;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final HealthServer http;

    private Sidecar(RedeliveryTracker tracker, PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics,
                    HealthServer http) {
        this.tracker = tracker;
        this.registry = registry;
        this.gcMetrics = gcMetrics;
        this.http = http;
    }

    /**
     * Starts the tracker, then the HTTP server on {@code httpPort} (0 for any free port).
     *
     * @throws io.kmq.KmqException or {@link org.apache.kafka.common.config.ConfigException} if the tracker cannot
     *     start; {@link java.io.UncheckedIOException} if the port cannot be bound (the tracker is then closed)
     */
    public static Sidecar start(KmqConfig config, TrackerSettings settings, int httpPort) {
        RedeliveryTracker tracker = RedeliveryTracker.start(settings, config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        try {
            tracker.bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            gcMetrics.bindTo(registry);
            HealthServer http = HealthServer.start(httpPort, tracker::isCaughtUp, () -> status(tracker),
                    registry::scrape);
            return new Sidecar(tracker, registry, gcMetrics, http);
        } catch (RuntimeException e) {
            Closer.closeAll(e, gcMetrics, registry::close, tracker);
            throw e;
        }
    }

    private static String status(RedeliveryTracker tracker) {
        TrackerMetrics metrics = tracker.metrics();
        return "state=" + tracker.state() + " markersLag=" + metrics.markersLag() + " inFlight="
                + metrics.inFlight();
    }

    /** The tracker. */
    public RedeliveryTracker tracker() {
        return tracker;
    }

    /** The port of the HTTP server. */
    public int httpPort() {
        return http.port();
    }

    /**
     * Stops the HTTP server, the tracker and the registry, each even if another fails.
     *
     * @throws RuntimeException the first failure, with the others suppressed
     */
    @Override
    public void close() {
        Closer.closeAll(null, http, tracker, gcMetrics, registry::close);
    }
}
