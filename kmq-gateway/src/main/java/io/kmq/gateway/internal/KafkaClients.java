package io.kmq.gateway.internal;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.gateway.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the Kafka clients of a gateway from its {@link GatewayConfig}; the one place their settings are chosen. A
 * test can substitute its own.
 */
public class KafkaClients {

    /** {@code max.poll.records} of queue groups: a group holds at most this many records beyond its members' credit. */
    static final int QUEUE_MAX_POLL_RECORDS = 100;

    private final GatewayConfig config;
    private final AtomicInteger sequence = new AtomicInteger();

    /** Clients for the cluster and settings of {@code config}. */
    public KafkaClients(GatewayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The producer of publishes: {@code acks=all}, idempotent, no linger (a publish waits for its ack). */
    public Producer<byte[], byte[]> producer() {
        Map<String, Object> properties = common("publisher");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer without group for a fan-out feed of {@code topic}: positions are chosen by the feed. */
    public Consumer<byte[], byte[]> feedConsumer(String topic) {
        return groupless("feed-" + topic);
    }

    /** A consumer without group for one resume that reads Kafka. */
    public Consumer<byte[], byte[]> resumeConsumer() {
        return groupless("resume-" + sequence.incrementAndGet());
    }

    /** The admin client of the topic catalog. */
    public Admin admin() {
        return Admin.create(common("admin"));
    }

    /** The kmq settings of queue group {@code group} on {@code topic}. */
    public KmqConfig queueConfig(String topic, String group) {
        KmqConfig.Builder builder = KmqConfig.builder()
                .bootstrapServers(config.bootstrapServers())
                .topic(topic)
                .groupId(group)
                .messageTimeout(config.queueMessageTimeout())
                .maxInFlight(config.queueMaxInFlight());
        config.kafkaProperties().forEach(builder::set);
        builder.set(CommonClientConfigs.CLIENT_ID_CONFIG, config.gatewayId() + "-queue-" + group);
        builder.set(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                String.valueOf(Math.min(QUEUE_MAX_POLL_RECORDS, config.queueMaxInFlight())));
        return builder.build();
    }

    /** The KmqClient of a queue group. */
    public KmqClient<byte[], byte[]> queueClient(KmqConfig queueConfig) {
        return new KmqClient<>(queueConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Consumer<byte[], byte[]> groupless(String role) {
        Map<String, Object> properties = common(role);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        properties.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> common(String role) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.gatewayId() + "-" + role);
        return properties;
    }
}
