package io.kmq.testkit.internal;

import io.kmq.testkit.KafkaEnvironment;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A {@link KafkaEnvironment} for a cluster this JVM did not start (an external one, or a container): topics are
 * created through an Admin client; {@link #close()} closes the client and, if given, the owner of the cluster.
 */
public final class AdminBackedEnvironment implements KafkaEnvironment {

    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final Admin admin;
    private final AutoCloseable owner;
    private final int brokers;

    /**
     * @param bootstrapServers the cluster's bootstrap servers
     * @param owner            what to close with this environment (a container), or null
     */
    public AdminBackedEnvironment(String bootstrapServers, AutoCloseable owner) {
        this.bootstrapServers = bootstrapServers;
        this.owner = owner;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        try {
            this.brokers = admin.describeCluster().nodes().get().size();
        } catch (Exception e) {
            admin.close();
            throw new IllegalStateException("cannot reach the Kafka cluster at " + bootstrapServers, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public int brokerCount() {
        return brokers;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicReadiness.create(admin, name, partitions, defaultReplicationFactor(), configs, TOPIC_READY_TIMEOUT);
    }

    @Override
    public void awaitTopicReady(String name, Duration timeout) {
        TopicReadiness.await(admin, name, timeout);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            failure = e;
        }
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                RuntimeException wrapped = new IllegalStateException("cannot stop the Kafka container", e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
