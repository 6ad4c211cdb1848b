package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayMessage;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Two gateways side by side: stopping the one a client uses moves it to the other without losing anything. */
@KafkaTest
class FailoverTest {

    private static final int KEYS = 3;
    private static final int PER_KEY = 200;

    @Test
    void aClientFailsOverToTheOtherGatewayAndMissesNothing(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 3);
        Gateway first = Gateway.start(config(kafka).gatewayId("gw-first").build());
        try (Gateway second = Gateway.start(config(kafka).gatewayId("gw-second").build());
             GatewayClient client = client(first, second);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            Received received = new Received();
            client.subscribe("/" + topic + "/*", received).join();
            assertEquals(first.uri(), client.connectedAddress().orElseThrow());

            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < PER_KEY; i++) {
                    for (int k = 0; k < KEYS; k++) {
                        producer.send(new ProducerRecord<>(topic.name(), "k" + k, Integer.toString(i)));
                    }
                    if (i % 20 == 19) {
                        producer.flush(); // spread the records over time, so the failover happens mid-stream
                    }
                }
                producer.flush();
            });
            await().atMost(PATIENCE).until(() -> received.size() >= 100);
            first.close();

            producing.get(60, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> received.size() >= KEYS * PER_KEY);
            assertEquals(second.uri(), client.connectedAddress().orElseThrow());
            Map<String, List<String>> byKey = received.messages.stream().collect(Collectors.groupingBy(
                    GatewayMessage::key, TreeMap::new, Collectors.mapping(GatewayMessage::payloadAsString,
                            Collectors.toList())));
            List<String> expected = IntStream.range(0, PER_KEY).mapToObj(Integer::toString).toList();
            for (int k = 0; k < KEYS; k++) {
                assertEquals(expected, byKey.get("k" + k), "records of key k" + k);
            }
            assertEquals(KEYS * PER_KEY, received.size());
        } finally {
            first.close();
        }
    }

}
