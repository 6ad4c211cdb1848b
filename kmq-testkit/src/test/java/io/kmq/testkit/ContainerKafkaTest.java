package io.kmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kmq.testkit.internal.ContainerKafka;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The optional Testcontainers fixture: used where a Docker daemon answers, yields nothing (a skip) where none does. */
class ContainerKafkaTest {

    @Test
    void startsABrokerInDockerWhereADaemonAnswersAndYieldsNothingElsewhere() {
        Optional<KafkaEnvironment> container = ContainerKafka.startIfDockerAvailable();
        assumeTrue(container.isPresent(), "no Docker daemon here: the fixture yields nothing and its tests are skipped");
        try (KafkaEnvironment kafka = container.get()) {
            kafka.createTopic("container-check", 2);
            assertEquals(1, kafka.brokerCount());
        }
    }
}
