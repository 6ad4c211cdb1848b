package io.kmq.gateway.internal;

import io.kmq.gateway.GatewayConfig;
import io.kmq.gateway.GatewayMetrics;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the connections of one gateway share: the topic catalog, the fan-out feeds and resumes, the queue groups,
 * the publisher and the counters. Made from the settings and a {@link KafkaClients}; closes all of it.
 */
public final class GatewayServices implements AutoCloseable {

    private final GatewayConfig config;
    private final GatewayStats stats = new GatewayStats();
    private final ChannelGroup channels = new DefaultChannelGroup("kmq-gateway", GlobalEventExecutor.INSTANCE);
    private final TopicCatalog catalog;
    private final FeedRegistry feeds;
    private final ExecutorService resumeExecutor;
    private final FanoutService fanout;
    private final QueueService queues;
    private final Publisher publisher;

    /** Creates the services; Kafka clients are created now (admin, producer) or on first use (feeds, queues). */
    public GatewayServices(GatewayConfig config, KafkaClients clients) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clients, "clients");
        String prefix = "kmq-gateway-" + config.gatewayId() + "-";
        FeedSettings feedSettings = new FeedSettings(config.historyRecordsPerPartition(),
                config.historyBytesPerPartition(), config.lastValueMaxKeys(), config.outboundBufferBytes() / 4,
                config.feedIdleTimeout());
        this.catalog = new TopicCatalog(clients.admin(), System::nanoTime);
        this.feeds = new FeedRegistry((topic, onStopped) -> new TopicFeed(topic, feedSettings,
                clients.feedConsumer(topic), prefix + "feed-" + topic, onStopped));
        AtomicInteger resumeThreads = new AtomicInteger();
        this.resumeExecutor = Executors.newFixedThreadPool(config.resumeThreads(), runnable -> {
            Thread thread = new Thread(runnable, prefix + "resume-" + resumeThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.fanout = new FanoutService(catalog, feeds, resumeExecutor, clients::resumeConsumer, stats);
        this.queues = new QueueService((topic, group) -> clients.queueClient(clients.queueConfig(topic, group)),
                config.queueMessageTimeout(), prefix + "queue-");
        this.publisher = new Publisher(clients.producer(), prefix + "publisher");
    }

    /** The gateway's settings. */
    public GatewayConfig config() {
        return config;
    }

    /** The counters the connections update. */
    public GatewayStats stats() {
        return stats;
    }

    /** A snapshot of the counters and gauges. */
    public GatewayMetrics metrics() {
        return stats.snapshot(feeds.size(), queues.size());
    }

    /** The open connections. */
    public ChannelGroup channels() {
        return channels;
    }

    TopicCatalog catalog() {
        return catalog;
    }

    FanoutService fanout() {
        return fanout;
    }

    QueueService queues() {
        return queues;
    }

    Publisher publisher() {
        return publisher;
    }

    /**
     * Stops queue groups (releasing held records), feeds and resumes, then produces the pending publishes and closes
     * the Kafka clients. Every step runs; the first failure is thrown with the others suppressed.
     */
    @Override
    public void close() {
        RuntimeException failure = Closing.run(null, queues::close);
        failure = Closing.run(failure, feeds::close);
        failure = Closing.run(failure, () -> {
            resumeExecutor.shutdownNow();
            try {
                resumeExecutor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        failure = Closing.run(failure, publisher::close);
        failure = Closing.run(failure, catalog::close);
        if (failure != null) {
            throw failure;
        }
    }
}
