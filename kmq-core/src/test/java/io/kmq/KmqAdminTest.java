package io.kmq;

import static io.kmq.KafkaTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@KafkaTest
class KmqAdminTest {

    private static final Map<String, String> LOG_APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

    private static Map<String, TopicDescription> describe(KafkaEnvironment kafka, KmqConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(config.topic(), config.markersTopic(), config.deadLetterTopic()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
        }
    }

    private static String timestampType(KafkaEnvironment kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            return config.get("message.timestamp.type").value();
        }
    }

    private static KmqException validateFails(KmqConfig config) {
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            return assertThrows(KmqException.class, () -> admin.validate(config));
        }
    }

    @Test
    void createTopicsMakesThreeTopicsWithTheSamePartitionsAndLogAppendTimeMarkers(KafkaEnvironment kafka,
                                                                                  TestTopic topic) throws Exception {
        KmqConfig config = config(kafka, topic).build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, 4, (short) 1);
            admin.validate(config);
        }
        Map<String, TopicDescription> topics = describe(kafka, config);
        assertEquals(4, topics.get(config.topic()).partitions().size());
        assertEquals(4, topics.get(config.markersTopic()).partitions().size());
        assertEquals(4, topics.get(config.deadLetterTopic()).partitions().size());
        assertEquals("LogAppendTime", timestampType(kafka, config.markersTopic()));
        assertEquals("CreateTime", timestampType(kafka, config.topic()));
        KafkaTestSupport.produce(kafka, config.topic(), 4, 8); // every partition answers at once
    }

    @Test
    void createTopicsAcceptsExistingValidTopics(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.topic(), 2);
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, 2, (short) 1);
            assertDoesNotThrow(() -> admin.createTopics(config, 2, (short) 1));
        }
    }

    @Test
    void createTopicsRejectsAnExistingMarkersTopicWithCreateTime(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.markersTopic(), 2);
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            KmqException e = assertThrows(KmqException.class, () -> admin.createTopics(config, 2, (short) 1));
            assertEquals("markers topic " + config.markersTopic()
                    + " (kmq.markers.topic) has message.timestamp.type=CreateTime "
                    + "(expected: LogAppendTime, so that timeouts count from the broker's append time)",
                    e.getMessage());
        }
    }

    @Test
    void createTopicsRejectsBadArguments(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            assertThrows(IllegalArgumentException.class, () -> admin.createTopics(config, 0, (short) 1));
            assertThrows(IllegalArgumentException.class, () -> admin.createTopics(config, 1, (short) 0));
        }
    }

    @Test
    void validateNamesTheMissingMessageTopic(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.markersTopic(), 1, LOG_APPEND_TIME);
        kafka.createTopic(config.deadLetterTopic(), 1);
        assertEquals("message topic " + config.topic()
                + " (kmq.topic) does not exist (expected: an existing topic; create it "
                + "with KmqAdmin.createTopics)", validateFails(config).getMessage());
    }

    @Test
    void validateNamesTheMissingDeadLetterTopic(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.topic(), 1);
        kafka.createTopic(config.markersTopic(), 1, LOG_APPEND_TIME);
        assertEquals("dead-letter topic " + config.deadLetterTopic()
                + " (kmq.dead.letter.topic) does not exist (expected: an existing topic;"
                + " create it with KmqAdmin.createTopics)", validateFails(config).getMessage());
    }

    @Test
    void validateRejectsDifferentPartitionCounts(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.topic(), 4);
        kafka.createTopic(config.markersTopic(), 3, LOG_APPEND_TIME);
        kafka.createTopic(config.deadLetterTopic(), 1);
        assertEquals("markers topic " + config.markersTopic() + " (kmq.markers.topic) has 3 partitions but "
                + "message topic " + config.topic()
                        + " (kmq.topic) has 4 (expected: equal)", validateFails(config).getMessage());
    }

    @Test
    void validateRejectsMarkersWithoutLogAppendTime(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).markersTopic(topic.derived("m")).build();
        kafka.createTopic(config.topic(), 2);
        kafka.createTopic(config.markersTopic(), 2, Map.of("message.timestamp.type", "CreateTime"));
        kafka.createTopic(config.deadLetterTopic(), 2);
        assertEquals("markers topic " + config.markersTopic()
                + " (kmq.markers.topic) has message.timestamp.type=CreateTime (expected: "
                + "LogAppendTime, so that timeouts count from the broker's append time)",
                validateFails(config).getMessage());
    }
}
