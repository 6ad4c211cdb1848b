package io.kmq.testkit.internal;

import io.kmq.testkit.KafkaEnvironment;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The optional Testcontainers fixture: a broker in a Docker container. Only loaded when chosen with
 * {@code KMQ_TEST_KAFKA=testcontainers}; without a Docker daemon it yields nothing and the tests are skipped.
 */
public final class ContainerKafka {

    /** The image run by the fixture; override with {@code KMQ_KAFKA_IMAGE}. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private ContainerKafka() {
    }

    /** Starts a containerised broker, or returns empty when no Docker daemon answers. */
    public static Optional<KafkaEnvironment> startIfDockerAvailable() {
        if (!dockerAvailable()) {
            return Optional.empty();
        }
        String image = Optional.ofNullable(System.getenv("KMQ_KAFKA_IMAGE")).orElse(DEFAULT_IMAGE);
        KafkaContainer container = new KafkaContainer(image);
        container.start();
        return Optional.of(new AdminBackedEnvironment(container.getBootstrapServers(), container::stop));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
