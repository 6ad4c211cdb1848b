package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static io.kmq.gateway.GatewaySupport.produce;
import static io.kmq.gateway.GatewaySupport.values;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmq.gateway.client.GatewayClient;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/** Malformed, unknown, oversized and otherwise invalid input: refused or closed, while everyone else is served. */
@KafkaTest
class BadInputTest {

    @Test
    void badFramesAreRefusedAndOversizedOnesCloseWhileOtherClientsKeepReceiving(KafkaEnvironment kafka,
                                                                                 TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = Gateway.start(config(kafka).maxFrameBytes(4096).build());
             GatewayClient bystander = client(gateway);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            Received received = new Received();
            bystander.subscribe("/" + topic + "/*", received).join();
            produce(producer, topic.name(), values("k", "v", 0, 1));
            await().atMost(PATIENCE).until(() -> received.size() == 1);

            try (RawClient bad = RawClient.connect(gateway.uri(), 0)) {
                bad.send("{oops");
                bad.send("{\"op\":\"fly\",\"id\":\"1\"}");
                bad.sendBinary(new byte[]{1, 2, 3});
                bad.send("{\"op\":\"subscribe\",\"id\":\"2\",\"endpoint\":\"no-slash\"}");
                bad.send("{\"op\":\"publish\",\"id\":\"3\",\"endpoint\":\"/" + topic + "/*\",\"payload\":\"x\"}");
                bad.send("{\"op\":\"subscribe\",\"id\":\"4\",\"endpoint\":\"/" + topic + "/k\",\"resume\":\"@@\"}");
                await().atMost(PATIENCE).until(() -> bad.frames("error").size() == 6);
                List<String> codes = bad.frames("error").stream().map(e -> e.path("code").asText()).toList();
                assertEquals(List.of("BAD_JSON", "UNKNOWN_OP", "UNSUPPORTED_FRAME", "INVALID_ENDPOINT",
                        "INVALID_ENDPOINT", "INVALID_TOKEN"), codes);
                List<String> ids = bad.frames("error").stream().map(e -> e.path("id").asText(null)).toList();
                assertEquals(java.util.Arrays.asList(null, "1", null, "2", "3", "4"), ids);
                assertTrue(bad.isOpen());

                produce(producer, topic.name(), values("k", "v", 1, 1));
                await().atMost(PATIENCE).until(() -> received.size() == 2);

                bad.send("{\"op\":\"publish\",\"endpoint\":\"/" + topic + "/k\",\"payload\":\"" + "x".repeat(10_000)
                        + "\"}");
                assertEquals(GatewayProtocol.CLOSE_MESSAGE_TOO_BIG, bad.closeCode.get(60, TimeUnit.SECONDS));
            }
            try (RawClient fragmented = RawClient.connect(gateway.uri(), 0)) {
                fragmented.sendFragmented("x".repeat(3000), "y".repeat(3000));
                assertEquals(GatewayProtocol.CLOSE_MESSAGE_TOO_BIG, fragmented.closeCode.get(60, TimeUnit.SECONDS));
            }

            produce(producer, topic.name(), values("k", "v", 2, 1));
            await().atMost(PATIENCE).until(() -> received.size() == 3);
            assertEquals(List.of("v0", "v1", "v2"), received.payloads());
            assertTrue(gateway.metrics().errorsSent() >= 6);
        }
    }

    @Test
    void theFirstFrameIsTheWelcome(KafkaEnvironment kafka) throws Exception {
        try (Gateway gateway = Gateway.start(config(kafka).gatewayId("gw-welcome").build());
             RawClient raw = RawClient.connect(gateway.uri(), 0)) {
            await().atMost(PATIENCE).until(() -> !raw.frames.isEmpty());
            JsonNode welcome = raw.frames.get(0);
            assertEquals("welcome", welcome.path("op").asText());
            assertEquals(GatewayProtocol.VERSION, welcome.path("v").asInt());
            assertEquals("gw-welcome", welcome.path("gateway").asText());
        }
    }

    @Test
    void aClientOfferingNoSubprotocolIsServedVersionOne(KafkaEnvironment kafka) throws Exception {
        try (Gateway gateway = Gateway.start(config(kafka).build())) {
            java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(gateway.uri(), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket,
                                                                              CharSequence data, boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(60, TimeUnit.SECONDS);
            assertTrue(first.get(60, TimeUnit.SECONDS).startsWith("{\"op\":\"welcome\",\"v\":1"));
            assertEquals("", socket.getSubprotocol());
            socket.abort();
        }
    }

    @Test
    void plainHttpGetsHealthOrNotFound(KafkaEnvironment kafka) throws Exception {
        try (Gateway gateway = Gateway.start(config(kafka).build())) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + gateway.port());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(base.resolve("/other")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
            assertTrue(other.body().contains("/ws"), other.body());
        }
    }
}
