package io.kmq.example.fault;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.TestTopic;
import java.time.Duration;

/**
 * What every fault scenario shares: how many messages it sends ({@value #MESSAGES_PROPERTY}, default 20,000), how
 * long it waits at most, and its topics.
 *
 * <p>Why 20,000 messages per scenario fit the budget: a scenario's time goes to fixed costs (a message timeout per
 * redelivery round, a 6 s session timeout after each kill, JVM and Kafka Streams start-up of each process), not to
 * the messages, which the roles handle at thousands per second here (see {@code processed90_ms} in each
 * {@code FAULT} line). Going from 2,000 to 20,000 messages made the scenarios 10-80 % longer, not 10 times.
 */
final class FaultSetup {

    /** System property overriding the number of messages per scenario (for quick local runs). */
    static final String MESSAGES_PROPERTY = "kmq.fault.messages";
    /** Messages each scenario sends, each with a unique id. */
    static final int MESSAGES = Integer.getInteger(MESSAGES_PROPERTY, 20_000);
    /** Partitions of every scenario's topics. */
    static final int PARTITIONS = 4;
    /** The longest any scenario waits for one thing (a generous bound for a loaded 2-core machine). */
    static final Duration PATIENCE = Duration.ofMinutes(3);

    private FaultSetup() {
    }

    /** A config for {@code topic} on {@code kafka}; creates its message, markers and dead-letter topics. */
    static KmqConfig createTopics(KafkaEnvironment kafka, TestTopic topic, Duration timeout, int maxRedeliveries) {
        KmqConfig config = KmqConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic.name())
                .groupId(topic.derived("processors"))
                .messageTimeout(timeout)
                .maxRedeliveries(maxRedeliveries)
                .build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, PARTITIONS, kafka.defaultReplicationFactor());
        }
        return config;
    }

    /** Starts {@code task} in a daemon thread. */
    static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
