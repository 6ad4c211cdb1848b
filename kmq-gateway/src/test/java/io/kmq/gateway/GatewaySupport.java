package io.kmq.gateway;

import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayClientConfig;
import io.kmq.testkit.KafkaEnvironment;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared set-up of the gateway tests: a gateway on loopback with a free port, clients and producers for it. */
final class GatewaySupport {

    /** How long any condition of these tests may take; generous for a busy 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private GatewaySupport() {
    }

    /** Settings of a gateway on 127.0.0.1, any free port, for {@code kafka}. */
    static GatewayConfig.Builder config(KafkaEnvironment kafka) {
        return GatewayConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .host("127.0.0.1")
                .port(0)
                .ioThreads(2)
                .resumeThreads(1);
    }

    /** A client of {@code gateways}, tried in this order. */
    static GatewayClient client(Gateway... gateways) {
        GatewayClientConfig.Builder builder = GatewayClientConfig.builder()
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500));
        Arrays.stream(gateways).forEach(gateway -> builder.address(gateway.uri()));
        GatewayClient client = GatewayClient.connect(builder.build());
        client.connected().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    /** A producer of string records with a short delivery timeout, so that failures show quickly. */
    static KafkaProducer<String, String> producer(KafkaEnvironment kafka) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Produces {@code key}/{@code value} pairs in order and waits for all acknowledgments. */
    static void produce(KafkaProducer<String, String> producer, String topic, List<String[]> keyValues) {
        List<java.util.concurrent.Future<?>> sent = keyValues.stream()
                .<java.util.concurrent.Future<?>>map(kv -> producer.send(new ProducerRecord<>(topic, kv[0], kv[1])))
                .toList();
        for (java.util.concurrent.Future<?> future : sent) {
            try {
                future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("produce to " + topic + " failed", e);
            }
        }
    }

    /** {@code count} pairs of key {@code key} and values {@code prefix + i} for i from {@code from}. */
    static List<String[]> values(String key, String prefix, int from, int count) {
        return java.util.stream.IntStream.range(from, from + count)
                .mapToObj(i -> new String[]{key, prefix + i})
                .toList();
    }
}
