package io.kmq.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The running fan-out feeds, one per topic, started on first use. A feed stops when it failed, or when it had no
 * subscription for its idle timeout; it is then forgotten, and started again on next use.
 */
final class FeedRegistry implements AutoCloseable {

    /** Makes the feed of a topic; the callback is the feed's {@code onStopped}. */
    interface FeedFactory extends BiFunction<String, Consumer<TopicFeed>, TopicFeed> {
    }

    private final FeedFactory factory;
    private final Map<String, TopicFeed> feeds = new ConcurrentHashMap<>();
    private volatile boolean closed;

    FeedRegistry(FeedFactory factory) {
        this.factory = factory;
    }

    /** The feed of {@code topic}, started if needed; may still be loading (see {@link TopicFeed#ready()}). */
    TopicFeed feed(String topic) {
        if (closed) {
            throw FanoutSubscription.unavailable("the gateway is shutting down");
        }
        return feeds.compute(topic, (name, existing) -> {
            if (existing != null && !existing.isStopped()) {
                return existing;
            }
            TopicFeed feed = factory.apply(name, stopped -> feeds.remove(name, stopped));
            feed.start();
            return feed;
        });
    }

    /** How many feeds run. */
    int size() {
        return feeds.size();
    }

    /** Stops every feed; the first failure is thrown with the others suppressed. */
    @Override
    public void close() {
        closed = true;
        List<TopicFeed> running = new ArrayList<>(feeds.values());
        RuntimeException failure = null;
        for (TopicFeed feed : running) {
            try {
                feed.close();
            } catch (RuntimeException e) {
                failure = Closing.collect(failure, e);
            }
        }
        feeds.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
