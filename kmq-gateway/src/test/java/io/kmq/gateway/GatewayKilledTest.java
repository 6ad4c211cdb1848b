package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayClientConfig;
import io.kmq.gateway.client.QueueDelivery;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.testkit.JavaProcess;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * A gateway process dies (SIGKILL) while its client holds unacknowledged queue deliveries: the client fails over to
 * another gateway, and the redelivery tracker redelivers the records there, since their START markers have no END.
 */
@KafkaTest
class GatewayKilledTest {

    private static final String GROUP = "workers";
    private static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(3);
    /** The smallest session timeout the broker allows: the killed gateway's partitions move on this soon. */
    private static final String SESSION_TIMEOUT_MS = "6000";

    @Test
    void theTrackerRedeliversWhatAKilledGatewayHadHandedOut(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        QueueTest.createQueue(kafka, topic);
        KmqConfig queue = KmqConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic.name())
                .groupId(GROUP).messageTimeout(MESSAGE_TIMEOUT).build();
        Path stateDir = Files.createTempDirectory("kmq-tracker-");
        TrackerSettings trackerSettings = TrackerSettings.builder().applicationId(topic + "-tracker")
                .stateDir(stateDir).closeTimeout(Duration.ofSeconds(20)).build();
        Path stderr = Files.createTempFile("gateway-child-", ".log");
        try (RedeliveryTracker tracker = RedeliveryTracker.start(trackerSettings, queue);
             JavaProcess child = JavaProcess.start("gateway", List.of("-Xmx256m"), GatewayMain.class.getName(),
                     List.of("--bootstrap-servers", kafka.bootstrapServers(), "--host", "127.0.0.1", "--port", "0",
                             "--gateway-id", "gw-child", "--queue-message-timeout", "3s",
                             "--kafka-property", "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                             "--kafka-property", "heartbeat.interval.ms=1000"), null, stderr);
             Gateway survivor = Gateway.start(config(kafka).gatewayId("gw-survivor")
                     .queueMessageTimeout(MESSAGE_TIMEOUT)
                     .kafkaProperty("session.timeout.ms", SESSION_TIMEOUT_MS)
                     .kafkaProperty("heartbeat.interval.ms", "1000").build())) {
            await().atMost(PATIENCE).until(tracker::isCaughtUp);
            String line = child.awaitLine(l -> l.contains("listening on"), PATIENCE);
            URI childUri = URI.create(line.substring(line.indexOf("ws://")).trim());

            List<QueueDelivery> deliveries = new CopyOnWriteArrayList<>();
            try (GatewayClient client = GatewayClient.connect(GatewayClientConfig.builder()
                    .address(childUri).address(survivor.uri())
                    .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(500)).build())) {
                client.connected().join();
                client.subscribeQueue("/" + topic, GROUP, 10, deliveries::add).join();
                QueueTest.publish(client, topic, 0, 5);
                await().atMost(PATIENCE).until(() -> deliveries.size() == 5);
                assertEquals(childUri, client.connectedAddress().orElseThrow());
                Set<String> handedOut = QueueTest.payloads(deliveries);
                // handed out at once, the records are committed once their START markers are durable: killed before
                // that, the survivor would poll them again as well (duplicates); this test is about the tracker
                await().atMost(PATIENCE).until(() -> committed(kafka, topic) >= handedOut.size());

                child.kill();

                await().atMost(PATIENCE).until(() -> deliveries.size() >= 10);
                assertEquals(survivor.uri(), client.connectedAddress().orElseThrow());
                List<QueueDelivery> redelivered = deliveries.subList(5, deliveries.size());
                redelivered.forEach(QueueDelivery::ack);
                assertEquals(handedOut, QueueTest.payloads(redelivered));
                assertTrue(redelivered.stream().allMatch(d -> d.redeliveries() >= 1),
                        () -> redelivered.stream().map(d -> d + " x" + d.redeliveries()).collect(Collectors.toList())
                                .toString());
            }
        }
    }

    /** The sum of the group's committed offsets on the topic: how many records are committed, from offset 0. */
    private static long committed(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic.name()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }
}
