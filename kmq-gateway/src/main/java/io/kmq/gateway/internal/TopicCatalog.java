package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which topics exist and how many partitions they have, asked of Kafka without blocking and cached: an existing
 * topic for {@link #POSITIVE_TTL}, a missing one for {@link #NEGATIVE_TTL} (so a client cannot make the gateway ask
 * Kafka in a loop). The gateway never creates topics: publishing or subscribing to a missing topic is refused with
 * {@link ErrorCode#UNKNOWN_TOPIC}.
 */
final class TopicCatalog implements AutoCloseable {

    static final Duration POSITIVE_TTL = Duration.ofSeconds(60);
    static final Duration NEGATIVE_TTL = Duration.ofSeconds(2);
    /** Beyond this many cached topics, expired entries are swept (clients choose the names: keep the map bounded). */
    static final int MAX_ENTRIES = 10_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final Admin admin;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param admin owned and closed by the catalog */
    TopicCatalog(Admin admin, LongSupplier nanoTime) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The partition count of {@code topic}; completes exceptionally with a {@link ProtocolException}
     * ({@link ErrorCode#UNKNOWN_TOPIC}, or {@link ErrorCode#UNAVAILABLE} if Kafka does not answer).
     */
    CompletableFuture<Integer> partitions(String topic) {
        long now = nanoTime.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> entry.result.isDone() && now - entry.expiresAt >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.values().removeIf(entry -> entry.result.isDone());
            }
        }
        Entry entry = entries.compute(topic, (name, cached) ->
                cached != null && (!cached.result.isDone() || now - cached.expiresAt < 0) ? cached : lookup(name, now));
        return entry.result;
    }

    private Entry lookup(String topic, long now) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Entry entry = new Entry(result, now + POSITIVE_TTL.toNanos());
        admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) REQUEST_TIMEOUT.toMillis()))
                .topicNameValues().get(topic)
                .whenComplete((description, error) -> {
                    if (error == null) {
                        result.complete(description.partitions().size());
                        return;
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        entry.expiresAt = nanoTime.getAsLong() + NEGATIVE_TTL.toNanos();
                        result.completeExceptionally(new ProtocolException(ErrorCode.UNKNOWN_TOPIC,
                                "topic " + topic + " does not exist (the gateway does not create topics)"));
                    } else {
                        entry.expiresAt = nanoTime.getAsLong(); // do not cache a failure to ask
                        result.completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE,
                                "cannot describe topic " + topic + ": " + cause));
                    }
                });
        return entry;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        admin.close(Duration.ZERO); // a pending lookup only answers a request of a closing gateway
    }

    private static final class Entry {
        final CompletableFuture<Integer> result;
        volatile long expiresAt;

        Entry(CompletableFuture<Integer> result, long expiresAt) {
            this.result = result;
            this.expiresAt = expiresAt;
        }
    }
}
