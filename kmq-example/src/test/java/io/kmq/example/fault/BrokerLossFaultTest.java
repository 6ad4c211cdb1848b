package io.kmq.example.fault;

import static io.kmq.example.fault.FaultSetup.MESSAGES;
import static io.kmq.example.fault.FaultSetup.PATIENCE;
import static io.kmq.example.fault.FaultSetup.createTopics;
import static io.kmq.example.fault.FaultSetup.daemon;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.KmqConfig;
import io.kmq.example.ExampleProcessor;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.testkit.KafkaCluster;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3 of the fault suite: a 3-broker cluster (replication factor 3, {@code min.insync.replicas=2}, also for
 * the tracker's changelogs) loses one broker during the run and gets it back; nothing is lost, and processing goes on
 * while the broker is down.
 */
@Tag("fault")
@KafkaTest(brokers = 3)
class BrokerLossFaultTest {

    @Test
    void oneBrokerStoppedAndRestartedDuringTheRun(KafkaCluster cluster, TestTopic topic, @TempDir Path dir)
            throws Exception {
        assertEquals(3, cluster.defaultReplicationFactor());
        KmqConfig config = createTopics(cluster, topic, Duration.ofSeconds(3), 10);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, 3);
             FaultLedger ledger = FaultLedger.start(cluster.bootstrapServers(), config, MESSAGES);
             ExampleProcessor processor = new ExampleProcessor(config, 0.1, ledger::processed)) {
            Thread processing = daemon("fault-processor", processor);
            await().atMost(PATIENCE).until(() -> ledger.processedCount() >= MESSAGES / 4);
            int victim = brokerToStop(cluster.bootstrapServers(), config.groupId());
            long led = KafkaProbe.partitionsLedBy(cluster.bootstrapServers(), victim, config.topic(),
                    config.markersTopic(), config.deadLetterTopic());
            cluster.stopBroker(victim);
            long processedWhenStopped = ledger.processedCount();
            // the run goes on with two brokers: acks=all needs only min.insync.replicas=2 of them
            await().atMost(PATIENCE).until(() -> ledger.processedCount() >= processedWhenStopped + MESSAGES / 4
                    || ledger.processedCount() + ledger.deadLettered() == MESSAGES);
            long processedWhileDown = ledger.processedCount() - processedWhenStopped;
            cluster.restartBroker(victim);
            ledger.awaitAccounted(PATIENCE);
            processor.close();
            processing.join(30_000);
            System.out.println("FAULT_DETAIL scenario=broker-stopped-and-restarted stopped_broker=" + victim
                    + " partitions_it_led=" + led + " processed_while_down=" + processedWhileDown);
            ledger.assertAccounted("broker-stopped-and-restarted");
        }
    }

    /**
     * The coordinator of the processors' group if it can be stopped (broker 0 also runs the KRaft controller), else
     * broker 1. Every broker holds a replica of every partition (replication factor 3).
     */
    private static int brokerToStop(String bootstrapServers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get()
                    .get(group);
            int coordinator = description.coordinator().id();
            return coordinator == 0 ? 1 : coordinator;
        }
    }
}
