package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out subscriptions: checks the topic, starts its feed if needed, and starts each subscription new, with last
 * values, or from a resume token (from the history on the calling thread when it fits, else by a {@link ResumeTask}).
 */
final class FanoutService {

    private static final Logger log = LoggerFactory.getLogger(FanoutService.class);

    private final TopicCatalog catalog;
    private final FeedRegistry feeds;
    private final ExecutorService resumeExecutor;
    private final Supplier<Consumer<byte[], byte[]>> resumeConsumers;
    private final GatewayStats stats;

    FanoutService(TopicCatalog catalog, FeedRegistry feeds, ExecutorService resumeExecutor,
                  Supplier<Consumer<byte[], byte[]>> resumeConsumers, GatewayStats stats) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.feeds = Objects.requireNonNull(feeds, "feeds");
        this.resumeExecutor = Objects.requireNonNull(resumeExecutor, "resumeExecutor");
        this.resumeConsumers = Objects.requireNonNull(resumeConsumers, "resumeConsumers");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Starts {@code subscription} as {@code command} asks; the answer and errors go to its outbound buffer. */
    void subscribe(FanoutSubscription subscription, ClientCommand.SubscribeFanout command) {
        String topic = subscription.endpoint().topic();
        catalog.partitions(topic)
                .thenCompose(partitions -> {
                    TopicFeed feed = acquireFeed(topic);
                    subscription.attach(feed);
                    return feed.ready().thenApply(ready -> feed);
                })
                .whenComplete((feed, error) -> {
                    if (error != null) {
                        subscription.fail(asProtocolException(error));
                        return;
                    }
                    try {
                        start(feed, subscription, command);
                    } catch (ProtocolException e) {
                        subscription.fail(e);
                    } catch (RuntimeException e) {
                        log.warn("starting {} failed", subscription, e);
                        subscription.fail(new ProtocolException(ErrorCode.INTERNAL, "subscribe failed: " + e));
                    }
                });
    }

    /** Ends {@code subscription}: it is cancelled and its feed lets it go. */
    void unsubscribe(FanoutSubscription subscription) {
        subscription.cancel();
    }

    /** The running feed of {@code topic}, acquired for one subscription (a feed stopping as idle is replaced). */
    private TopicFeed acquireFeed(String topic) {
        for (int attempt = 0; attempt < 3; attempt++) {
            TopicFeed feed = feeds.feed(topic);
            if (feed.acquire()) {
                return feed;
            }
        }
        throw FanoutSubscription.unavailable("the fan-out feed of topic " + topic + " keeps stopping");
    }

    private void start(TopicFeed feed, FanoutSubscription subscription, ClientCommand.SubscribeFanout command) {
        if (subscription.isCancelled()) {
            return;
        }
        if (command.resume() == null) {
            feed.subscribeNew(subscription, command.from() == ClientCommand.From.LAST);
            return;
        }
        long[] cursor = ResumeToken.decode(command.resume(), feed.topic()).nextOffsets(feed.partitionCount());
        subscription.outbound().offer(subscription.startItem(cursor));
        ResumeTask task = new ResumeTask(feed, subscription, cursor, resumeConsumers, stats);
        if (task.tryFromHistory()) {
            stats.resumesFromHistory.increment();
            return;
        }
        try {
            resumeExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            subscription.fail(FanoutSubscription.unavailable("the gateway is shutting down"));
        }
    }

    static ProtocolException asProtocolException(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProtocolException protocolException) {
            return protocolException;
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE, cause.toString());
    }
}
