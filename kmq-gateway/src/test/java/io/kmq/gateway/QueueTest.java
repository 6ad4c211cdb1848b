package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayException;
import io.kmq.gateway.client.QueueDelivery;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Queue mode: each record to one member of the kmq group, per-message ack, credit, release on disconnect. */
@KafkaTest
class QueueTest {

    private static final String GROUP = "workers";

    @Test
    void aClientHoldsAtMostItsPrefetchAndEachAckMakesRoomForOneMore(KafkaEnvironment kafka, TestTopic topic) {
        createQueue(kafka, topic);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient client = client(gateway)) {
            List<QueueDelivery> deliveries = new CopyOnWriteArrayList<>();
            client.subscribeQueue("/" + topic, GROUP, 3, deliveries::add).join();
            publish(client, topic, 0, 10);

            await().atMost(PATIENCE).until(() -> deliveries.size() == 3);
            await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> deliveries.size() == 3);
            deliveries.get(0).ack();
            await().atMost(PATIENCE).until(() -> deliveries.size() == 4);
            await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> deliveries.size() == 4);

            for (int acked = 1; acked < 10; acked++) {
                int next = acked;
                await().atMost(PATIENCE).until(() -> deliveries.size() > next);
                deliveries.get(next).ack();
            }
            assertEquals(values(0, 10), payloads(deliveries));
            assertEquals(0, deliveries.get(0).redeliveries());
            assertEquals(10, gateway.metrics().deliveriesSent());
        }
    }

    @Test
    void theUnackedDeliveriesOfADisconnectedClientGoToAnotherMember(KafkaEnvironment kafka, TestTopic topic) {
        createQueue(kafka, topic);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient other = client(gateway)) {
            List<QueueDelivery> held = new CopyOnWriteArrayList<>();
            List<QueueDelivery> taken = new CopyOnWriteArrayList<>();
            try (GatewayClient leaving = client(gateway)) {
                leaving.subscribeQueue("/" + topic, GROUP, 5, held::add).join();
                publish(leaving, topic, 0, 5);
                await().atMost(PATIENCE).until(() -> held.size() == 5);
                other.subscribeQueue("/" + topic, GROUP, 10, delivery -> {
                    taken.add(delivery);
                    delivery.ack();
                }).join();
                assertEquals(0, taken.size());
            }
            await().atMost(PATIENCE).until(() -> taken.size() == 5);
            assertEquals(payloads(held), payloads(taken));

            publish(other, topic, 5, 5);
            await().atMost(PATIENCE).until(() -> taken.size() == 10);
            assertEquals(values(0, 10), payloads(taken));
        }
    }

    @Test
    void aTopicWithoutKmqTopicsCannotBeAQueue(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient client = client(gateway)) {
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> client.subscribeQueue("/" + topic, GROUP, 1, delivery -> { }).join());
            assertEquals(ErrorCode.QUEUE_UNAVAILABLE, ((GatewayException) refused.getCause()).code());
        }
    }

    static void createQueue(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = KmqConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic.name())
                .groupId(GROUP).build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, 2, kafka.defaultReplicationFactor());
        }
    }

    static void publish(GatewayClient client, TestTopic topic, int from, int count) {
        IntStream.range(from, from + count)
                .mapToObj(i -> client.publish("/" + topic + "/k" + i, "m" + i))
                .toList()
                .forEach(java.util.concurrent.CompletableFuture::join);
    }

    static Set<String> payloads(List<QueueDelivery> deliveries) {
        return deliveries.stream().map(QueueDelivery::payloadAsString).collect(Collectors.toSet());
    }

    static Set<String> values(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "m" + i).collect(Collectors.toSet());
    }
}
