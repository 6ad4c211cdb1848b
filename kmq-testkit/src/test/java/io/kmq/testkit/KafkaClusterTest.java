package io.kmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@KafkaTest
class KafkaClusterTest {

    @Test
    void producesAndConsumesThroughTheInProcessBroker(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        kafka.createTopic(topic.name(), 3);
        int count = 1_000;
        try (KafkaProducer<String, String> producer = Clients.producer(kafka)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic.name(), "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
        assertEquals(count, Clients.consumeValues(kafka, topic.name(), count).size());
    }

    @Test
    void newTopicsGetSmallIndexFiles(KafkaCluster cluster, TestTopic topic) throws Exception {
        cluster.createTopic(topic.name(), 1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()))) {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals(KafkaCluster.INDEX_SIZE_BYTES, config.get(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG).value());
        }
    }

    @Test
    void eachTestGetsItsOwnTopicName(TestTopic first, TestTopic second) {
        assertNotEquals(first.name(), second.name());
        assertTrue(first.name().startsWith("t-eachtestgetsitsowntopicname-"), first.name());
    }

    @Test
    void rejectsAnOutOfRangeBrokerCount() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KafkaCluster.start(0));
        assertEquals("brokers : 0 (expected: 1 to 9)", error.getMessage());
    }

    @Test
    void brokerZeroCannotBeStoppedAlone(KafkaCluster cluster) {
        assertThrows(IllegalArgumentException.class, () -> cluster.stopBroker(0));
    }

    /** Small client helpers for this test class. */
    static final class Clients {
        static KafkaProducer<String, String> producer(KafkaEnvironment kafka) {
            return new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                    new StringSerializer(), new StringSerializer());
        }

        static Set<String> consumeValues(KafkaEnvironment kafka, String topic, int expected) {
            Set<String> values = new HashSet<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.size() < expected && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
            }
            return values;
        }
    }
}
