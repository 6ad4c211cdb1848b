package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.client.ConnectionListener;
import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayClientConfig;
import io.kmq.gateway.client.GatewayException;
import io.kmq.gateway.client.PublishAck;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java client's own behavior: requests across reconnects, connection events, argument checks. */
@KafkaTest
class GatewayClientTest {

    @Test
    void publishesMadeWhileReconnectingAreSentToTheNextGateway(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        kafka.createTopic(topic.name(), 1);
        Gateway first = Gateway.start(config(kafka).gatewayId("gw-a").build());
        List<String> events = new CopyOnWriteArrayList<>();
        try (Gateway second = Gateway.start(config(kafka).gatewayId("gw-b").build());
             GatewayClient client = GatewayClient.connect(GatewayClientConfig.builder()
                     .addresses(List.of(first.uri(), second.uri()))
                     .reconnectDelay(Duration.ofMillis(50))
                     .connectionListener(new ConnectionListener() {
                         @Override
                         public void connected(URI address, String gatewayId) {
                             events.add("connected " + gatewayId);
                         }

                         @Override
                         public void disconnected(URI address, String reason) {
                             events.add("disconnected " + reason);
                         }
                     }).build())) {
            client.connected().get(60, TimeUnit.SECONDS);
            first.close();
            CompletableFuture<PublishAck> published = client.publish("/" + topic + "/k", "after");
            assertEquals(0, published.get(60, TimeUnit.SECONDS).offset());
            await().atMost(PATIENCE).until(() -> events.contains("connected gw-b"));
            assertEquals("connected gw-a", events.get(0));
            assertTrue(events.get(1).startsWith("disconnected closed by the gateway with code 1001"), events::toString);
        } finally {
            first.close();
        }
    }

    @Test
    void requestsOfAClosedClientFailWithConnectionLost(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = Gateway.start(config(kafka).build())) {
            GatewayClient client = client(gateway);
            client.close();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> client.publish("/" + topic + "/k", "v").join());
            assertEquals(ErrorCode.CONNECTION_LOST, ((GatewayException) failed.getCause()).code());
        }
    }

    @Test
    void refusesInvalidArgumentsAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> GatewayClientConfig.builder().build());
        assertThrows(IllegalArgumentException.class, () -> GatewayClientConfig.builder()
                .address(URI.create("http://127.0.0.1:1/ws")).build());
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class, () -> GatewayClientConfig
                .builder().address(URI.create("ws://127.0.0.1:1/ws")).reconnectDelay(Duration.ofSeconds(10)).build());
        assertEquals("maxReconnectDelay : PT5S (expected: >= reconnectDelay (PT10S))", delay.getMessage());
        try (GatewayClient client = GatewayClient.connect(GatewayClientConfig.builder()
                .address(URI.create("ws://127.0.0.1:1/ws")).build())) {
            assertThrows(IllegalArgumentException.class, () -> client.subscribe("/t", m -> { }));
            assertThrows(IllegalArgumentException.class, () -> client.subscribe("no-slash", m -> { }));
            assertThrows(IllegalArgumentException.class, () -> client.publish("/t/*", "v"));
            assertThrows(IllegalArgumentException.class, () -> client.subscribeQueue("/t/k", "g", 1, d -> { }));
            assertThrows(IllegalArgumentException.class, () -> client.subscribeQueue("/t", "g", 0, d -> { }));
        }
    }
}
