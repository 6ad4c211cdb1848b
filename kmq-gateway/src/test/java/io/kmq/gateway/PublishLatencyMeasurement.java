package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static org.awaitility.Awaitility.await;

import io.kmq.gateway.client.GatewayClient;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the message flow from a client's publish to another client's receive, through one gateway and a real
 * broker on loopback (publish, produce with {@code acks=all}, the gateway's feed, fan-out): 1,000 messages at a fixed
 * rate of 100/s after 200 for warm-up. Latency counts from each message's intended send time, so a stalled sender does
 * not hide delays (coordinated omission). Not part of the normal suite: run with
 * {@code -Dkmq.measure=true -Dtest=PublishLatencyMeasurement}; results go to stdout and
 * {@code target/gateway-latency.txt}. Client, gateway and broker share this JVM and machine.
 */
@KafkaTest
@EnabledIfSystemProperty(named = "kmq.measure", matches = "true")
class PublishLatencyMeasurement {

    private static final int WARM_UP = 200;
    private static final int MESSAGES = 1_000;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void publishToReceive(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 1);
        Histogram endToEnd = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram publishAck = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicInteger received = new AtomicInteger();
        try (Gateway gateway = Gateway.start(config(kafka).build());
             GatewayClient subscriber = client(gateway); GatewayClient publisher = client(gateway)) {
            subscriber.subscribe("/" + topic + "/k", message -> {
                long now = System.nanoTime();
                String[] parts = message.payloadAsString().split(":");
                if (Integer.parseInt(parts[0]) >= WARM_UP) {
                    endToEnd.recordValue(now - Long.parseLong(parts[1])); // only this thread records
                }
                received.incrementAndGet();
            }).join();

            long start = System.nanoTime();
            for (int i = 0; i < WARM_UP + MESSAGES; i++) {
                long intended = start + i * INTERVAL_NANOS;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                boolean measured = i >= WARM_UP;
                publisher.publish("/" + topic + "/k", i + ":" + intended).thenRun(() -> {
                    if (measured) {
                        synchronized (publishAck) {
                            publishAck.recordValue(System.nanoTime() - intended);
                        }
                    }
                });
            }
            await().atMost(PATIENCE).until(() -> received.get() == WARM_UP + MESSAGES);
        }
        String report = String.format("kmq-gateway message flow on loopback, %d messages at %d/s after %d warm-up "
                        + "(one JVM: client, gateway, in-process broker; 2 cores)%n"
                        + "publish -> receive: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                        + "publish -> publish-ack: p50 %.2f ms, p99 %.2f ms%n",
                MESSAGES, TimeUnit.SECONDS.toNanos(1) / INTERVAL_NANOS, WARM_UP,
                ms(endToEnd.getValueAtPercentile(50)), ms(endToEnd.getValueAtPercentile(90)),
                ms(endToEnd.getValueAtPercentile(99)), ms(endToEnd.getMaxValue()),
                ms(publishAck.getValueAtPercentile(50)), ms(publishAck.getValueAtPercentile(99)));
        System.out.print(report);
        Files.writeString(Path.of("target", "gateway-latency.txt"), report);
    }

    /** The same flow without the gateway: a Kafka producer ({@code acks=all}) to a consumer, for comparison. */
    @Test
    void kafkaAloneForComparison(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 1);
        Histogram endToEnd = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicInteger received = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = GatewaySupport.producer(kafka);
             org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(java.util.Map.of(
                             "bootstrap.servers", kafka.bootstrapServers(), "enable.auto.commit", "false",
                             "auto.offset.reset", "earliest"),
                             new org.apache.kafka.common.serialization.StringDeserializer(),
                             new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.assign(java.util.List.of(new org.apache.kafka.common.TopicPartition(topic.name(), 0)));
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    for (var record : consumer.poll(java.time.Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        String[] parts = record.value().split(":");
                        if (Integer.parseInt(parts[0]) >= WARM_UP) {
                            endToEnd.recordValue(now - Long.parseLong(parts[1]));
                        }
                        received.incrementAndGet();
                    }
                }
            }, "baseline-reader");
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < WARM_UP + MESSAGES; i++) {
                long intended = start + i * INTERVAL_NANOS;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic.name(), "k",
                        i + ":" + intended));
            }
            await().atMost(PATIENCE).until(() -> received.get() == WARM_UP + MESSAGES);
            running.set(false);
            reader.join();
        }
        String report = String.format("Kafka alone (producer acks=all -> consumer), same rate and machine: "
                        + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                ms(endToEnd.getValueAtPercentile(50)), ms(endToEnd.getValueAtPercentile(90)),
                ms(endToEnd.getValueAtPercentile(99)), ms(endToEnd.getMaxValue()));
        System.out.print(report);
        Files.writeString(Path.of("target", "kafka-latency.txt"), report);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
