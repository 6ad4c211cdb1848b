package io.kmq.testkit;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka cluster that tests, the demo and benchmarks talk to: the in-process {@link KafkaCluster}, an external
 * cluster named by {@code KMQ_BOOTSTRAP_SERVERS}, or a Testcontainers broker where Docker is available.
 */
public interface KafkaEnvironment extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients of this cluster. */
    String bootstrapServers();

    /** How many brokers the cluster has. */
    int brokerCount();

    /** The replication factor new topics get: {@code min(3, brokerCount())}. */
    default short defaultReplicationFactor() {
        return (short) Math.min(3, brokerCount());
    }

    /**
     * Creates a topic and waits until every partition answers a list-offsets request, so that an immediate produce
     * does not hit a leader that is not ready yet.
     *
     * @param name       the topic name
     * @param partitions the partition count, {@code >= 1}
     * @param configs    topic configs such as {@code message.timestamp.type}; may be empty
     */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** Creates a topic with default configs; see {@link #createTopic(String, int, Map)}. */
    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Waits until every partition of the topic answers a list-offsets request.
     *
     * @throws IllegalStateException if it does not within {@code timeout}
     */
    void awaitTopicReady(String name, Duration timeout);

    /** Stops the cluster (if this environment started it) and frees what it used. */
    @Override
    void close();
}
