package io.kmq.gateway.internal;

import io.kmq.gateway.GatewayMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link GatewayMetrics}; safe from any thread. */
public final class GatewayStats {

    final AtomicLong connections = new AtomicLong();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder deliveriesSent = new LongAdder();
    final LongAdder conflated = new LongAdder();
    final LongAdder slowConsumerDisconnects = new LongAdder();
    final LongAdder errorsSent = new LongAdder();
    final LongAdder publishesAcknowledged = new LongAdder();
    final LongAdder publishesFailed = new LongAdder();
    final LongAdder resumesFromHistory = new LongAdder();
    final LongAdder resumesFromKafka = new LongAdder();
    private final AtomicLong maxOutboundBytes = new AtomicLong();

    /** Notes that a connection's outbound buffer held {@code bytes}. */
    void outboundBytes(long bytes) {
        if (bytes > maxOutboundBytes.get()) {
            maxOutboundBytes.accumulateAndGet(bytes, Math::max);
        }
    }

    /** A snapshot of the counters, with the current number of feeds and queue groups. */
    public GatewayMetrics snapshot(long feeds, long queueGroups) {
        return new GatewayMetrics(connections.get(), messagesSent.sum(), deliveriesSent.sum(), conflated.sum(),
                slowConsumerDisconnects.sum(), errorsSent.sum(), publishesAcknowledged.sum(), publishesFailed.sum(),
                maxOutboundBytes.get(), resumesFromHistory.sum(), resumesFromKafka.sum(), feeds, queueGroups);
    }
}
