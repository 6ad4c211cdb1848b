package io.kmq.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class one Kafka cluster, started before its first test and stopped after its last, and each test a
 * fresh {@link TestTopic}. Test methods and constructors may declare parameters of type {@link KafkaEnvironment},
 * {@link KafkaCluster} (in-process only: tests asking for it are skipped on other clusters) and {@link TestTopic}.
 *
 * <p>Which cluster: {@code KMQ_BOOTSTRAP_SERVERS} (environment variable or system property
 * {@code kmq.bootstrap.servers}) names an external cluster to use instead; {@code KMQ_TEST_KAFKA=testcontainers}
 * picks a Docker broker and skips the class where no Docker daemon is present; otherwise an in-process
 * {@link KafkaCluster} of {@link #brokers()} brokers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaTestExtension.class)
public @interface KafkaTest {

    /** How many brokers the in-process cluster has. */
    int brokers() default 1;
}
