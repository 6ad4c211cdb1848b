package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static io.kmq.gateway.GatewaySupport.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmq.gateway.client.GatewayClient;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading: the gateway keeps each connection's buffer under its cap (disconnecting or conflating)
 * while a fast client on the same topic gets everything. Small socket buffers on both ends make the gateway's own
 * buffer fill quickly.
 */
@KafkaTest
class SlowConsumerTest {

    private static final int CAP = 64 * 1024;
    private static final int SOCKET_BUFFER = 16 * 1024;
    private static final int RECORDS = 600;
    private static final String PADDING = "p".repeat(1024);
    /** One record's frame: the payload, endpoints, token and JSON framing. */
    private static final int ONE_FRAME = 2 * 1024;

    @Test
    void aSlowClientIsDisconnectedWithTheSlowConsumerCodeAndStaysUnderItsCap(KafkaEnvironment kafka,
                                                                              TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = start(kafka, SlowConsumerPolicy.DISCONNECT); GatewayClient fast = client(gateway);
             RawClient slow = RawClient.connect(gateway.uri(), SOCKET_BUFFER);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            Received everything = new Received();
            fast.subscribe("/" + topic + "/*", everything).join();
            subscribeThenStopReading(slow, topic);

            produce(producer, topic.name(), records(10));

            await().atMost(PATIENCE).until(() -> everything.size() >= RECORDS);
            assertEquals(IntStream.range(0, RECORDS).mapToObj(i -> i + ":" + PADDING).toList(), everything.payloads());
            await().atMost(PATIENCE).until(() -> gateway.metrics().slowConsumerDisconnects() == 1);
            GatewayMetrics metrics = gateway.metrics();
            assertTrue(metrics.maxOutboundBytes() <= CAP + ONE_FRAME, metrics::toString);

            slow.reading(true);
            assertEquals(GatewayProtocol.CLOSE_SLOW_CONSUMER, slow.closeCode.get(60, TimeUnit.SECONDS));
            assertTrue(slow.frames("message").size() < RECORDS);
        }
    }

    @Test
    void conflationKeepsASlowClientWithTheLatestValueOfEachEndpointUnderTwiceItsCap(KafkaEnvironment kafka,
                                                                                   TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = start(kafka, SlowConsumerPolicy.CONFLATE); GatewayClient fast = client(gateway);
             RawClient slow = RawClient.connect(gateway.uri(), SOCKET_BUFFER);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            Received everything = new Received();
            fast.subscribe("/" + topic + "/*", everything).join();
            subscribeThenStopReading(slow, topic);

            produce(producer, topic.name(), records(10));
            await().atMost(PATIENCE).until(() -> everything.size() == RECORDS);
            await().atMost(PATIENCE).until(() -> gateway.metrics().conflatedMessages() > 0);

            slow.reading(true);
            Map<String, String> latest = new HashMap<>();
            await().atMost(PATIENCE).until(() -> {
                latest.clear();
                for (JsonNode message : slow.frames("message")) {
                    latest.put(message.path("endpoint").asText(), message.path("payload").asText());
                }
                return latest.size() == 10 && latest.values().stream().allMatch(v -> v.startsWith("59"));
            });
            List<JsonNode> messages = slow.frames("message");
            assertTrue(messages.size() < RECORDS, messages.size() + " messages");
            assertTrue(messages.stream().anyMatch(m -> m.path("conflated").asBoolean()));
            assertTrue(slow.isOpen());
            GatewayMetrics metrics = gateway.metrics();
            assertEquals(0, metrics.slowConsumerDisconnects(), metrics::toString);
            assertTrue(metrics.maxOutboundBytes() <= 2 * CAP + ONE_FRAME, metrics::toString);
            assertEquals(RECORDS - messages.size(), metrics.conflatedMessages(), metrics::toString);
        }
    }

    @Test
    void aDisconnectedSlowClientReconnectsResumesAndMissesNothing(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = start(kafka, SlowConsumerPolicy.DISCONNECT); GatewayClient client = client(gateway);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            CountDownLatch slowedDown = new CountDownLatch(1);
            Received received = new Received() {
                @Override
                public void onMessage(io.kmq.gateway.client.GatewayMessage message) {
                    super.onMessage(message);
                    if (size() == 1) { // a listener that blocks: the client stops reading until it is cut off
                        await().atMost(PATIENCE).until(() -> gateway.metrics().slowConsumerDisconnects() == 1);
                        slowedDown.countDown();
                    }
                }
            };
            client.subscribe("/" + topic + "/*", received).join();
            produce(producer, topic.name(), records(10));

            await().atMost(PATIENCE).until(() -> slowedDown.getCount() == 0 && received.size() >= RECORDS);
            assertEquals(IntStream.range(0, RECORDS).mapToObj(i -> i + ":" + PADDING).toList(), received.payloads());
        }
    }

    /** A gateway with a small buffer cap and socket buffer, so that a client that stops reading is noticed soon. */
    private static Gateway start(KafkaEnvironment kafka, SlowConsumerPolicy policy) {
        return Gateway.start(config(kafka).outboundBufferBytes(CAP).socketSendBufferBytes(SOCKET_BUFFER)
                .slowConsumerPolicy(policy).build());
    }

    private static void subscribeThenStopReading(RawClient slow, TestTopic topic) {
        slow.send("{\"op\":\"subscribe\",\"id\":\"s\",\"endpoint\":\"/" + topic + "/*\"}");
        await().atMost(PATIENCE).until(() -> !slow.frames("subscribed").isEmpty());
        slow.reading(false);
    }

    /** {@link #RECORDS} records of about 1 KiB over {@code keys} keys, values starting with their index. */
    private static List<String[]> records(int keys) {
        return IntStream.range(0, RECORDS)
                .mapToObj(i -> new String[]{"k" + (i % keys), i + ":" + PADDING})
                .toList();
    }
}
