package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KmqConfigTest {

    private static Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kmq.topic", "orders");
        properties.put("kmq.group.id", "billing");
        properties.put("bootstrap.servers", "localhost:9092");
        return properties;
    }

    private static Map<String, Object> validWith(String key, Object value) {
        Map<String, Object> properties = valid();
        properties.put(key, value);
        return properties;
    }

    /** Asserts that the settings are rejected with a message naming {@code key} and returns the message. */
    private static String assertRejected(Map<String, Object> properties, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> KmqConfig.from(properties));
        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
        return e.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmq.topic", "kmq.group.id", "bootstrap.servers"})
    void missingRequiredSettingIsNamed(String key) {
        Map<String, Object> properties = valid();
        properties.remove(key);
        assertRejected(properties, key);
    }

    @Test
    void blankBootstrapServersIsRejected() {
        assertRejected(validWith("bootstrap.servers", " "), "bootstrap.servers");
    }

    @Test
    void emptyGroupIsRejected() {
        assertRejected(validWith("kmq.group.id", ""), "kmq.group.id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "slash/topic", "star*", ".", "..", "ümlaut"})
    void illegalTopicNamesAreRejectedForEveryTopicSetting(String name) {
        for (String key : new String[] {"kmq.topic", "kmq.markers.topic", "kmq.dead.letter.topic"}) {
            String message = assertRejected(validWith(key, name), key);
            assertTrue(message.contains(name), message);
        }
    }

    @Test
    void topicNameOver249CharactersIsRejected() {
        assertRejected(validWith("kmq.topic", "t".repeat(250)), "kmq.topic");
        assertEquals("t".repeat(249), KmqConfig.from(validWith("kmq.topic", "t".repeat(249))).topic());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void messageTimeoutMustBePositive(long millis) {
        String message = assertRejected(validWith("kmq.message.timeout.ms", millis), "kmq.message.timeout.ms");
        assertTrue(message.contains(String.valueOf(millis)), message);
    }

    @Test
    void builderRejectsZeroTimeout() {
        ConfigException e = assertThrows(ConfigException.class, () -> KmqConfig.builder().topic("t").groupId("g")
                .bootstrapServers("localhost:9092").messageTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("kmq.message.timeout.ms"), e.getMessage());
    }

    @Test
    void negativeMaxRedeliveriesIsRejectedAndZeroAccepted() {
        assertRejected(validWith("kmq.max.redeliveries", -1), "kmq.max.redeliveries");
        assertEquals(0, KmqConfig.from(validWith("kmq.max.redeliveries", 0)).maxRedeliveries());
    }

    @Test
    void maxInFlightMustBeAtLeastOne() {
        assertRejected(validWith("kmq.max.in.flight", 0), "kmq.max.in.flight");
        assertRejected(validWith("kmq.max.in.flight", -5), "kmq.max.in.flight");
        assertEquals(1, KmqConfig.from(validWith("kmq.max.in.flight", 1)).maxInFlight());
    }

    @Test
    void nonNumericValueIsRejectedNamingTheKey() {
        assertRejected(validWith("kmq.max.in.flight", "lots"), "kmq.max.in.flight");
    }

    @Test
    void unknownKmqKeyIsRejectedAsTypo() {
        String message = assertRejected(validWith("kmq.max.inflight", 5), "kmq.max.inflight");
        assertTrue(message.contains("kmq.max.in.flight"), "should list the known keys: " + message);
    }

    @ParameterizedTest
    @CsvSource({
            "enable.auto.commit, true",
            "isolation.level, read_uncommitted",
            "acks, 1",
            "acks, 0",
            "enable.idempotence, false",
            "key.deserializer, org.apache.kafka.common.serialization.StringDeserializer",
            "value.deserializer, org.apache.kafka.common.serialization.StringDeserializer",
            "key.serializer, org.apache.kafka.common.serialization.StringSerializer",
            "value.serializer, org.apache.kafka.common.serialization.StringSerializer",
            "transactional.id, tx-1",
            "group.id, another-group",
    })
    void kafkaSettingThatBreaksTheGuaranteeIsRejected(String key, String value) {
        String message = assertRejected(validWith(key, value), key);
        assertTrue(message.contains(value), message);
    }

    @ParameterizedTest
    @CsvSource({
            "enable.auto.commit, false",
            "enable.auto.commit, FALSE",
            "isolation.level, read_committed",
            "acks, all",
            "acks, -1",
            "enable.idempotence, true",
            "group.id, billing",
    })
    void kafkaSettingAtItsRequiredValueIsAccepted(String key, String value) {
        assertEquals(value, KmqConfig.from(validWith(key, value)).kafkaProperties().get(key));
    }

    @Test
    void markersTopicEqualToTopicIsRejected() {
        assertRejected(validWith("kmq.markers.topic", "orders"), "kmq.markers.topic");
    }

    @Test
    void deadLetterTopicEqualToTopicOrMarkersIsRejected() {
        assertRejected(validWith("kmq.dead.letter.topic", "orders"), "kmq.dead.letter.topic");
        Map<String, Object> properties = validWith("kmq.markers.topic", "m");
        properties.put("kmq.dead.letter.topic", "m");
        assertRejected(properties, "kmq.dead.letter.topic");
        assertRejected(validWith("kmq.dead.letter.topic", "orders__markers"), "kmq.dead.letter.topic");
    }

    @Test
    void defaultsAreDerivedFromTheTopic() {
        KmqConfig config = KmqConfig.from(valid());
        assertEquals("orders__markers", config.markersTopic());
        assertEquals("orders__undelivered", config.deadLetterTopic());
        assertEquals(Duration.ofSeconds(30), config.messageTimeout());
        assertEquals(KmqConfig.DEFAULT_MAX_REDELIVERIES, config.maxRedeliveries());
        assertEquals(KmqConfig.DEFAULT_MAX_IN_FLIGHT, config.maxInFlight());
    }

    @Test
    void emptyTopicSettingsMeanTheDefault() {
        Map<String, Object> properties = validWith("kmq.markers.topic", "");
        properties.put("kmq.dead.letter.topic", "");
        KmqConfig config = KmqConfig.from(properties);
        assertEquals("orders__markers", config.markersTopic());
        assertEquals("orders__undelivered", config.deadLetterTopic());
    }

    @Test
    void kafkaPropertiesHoldOnlyTheNonKmqKeys() {
        KmqConfig config = KmqConfig.from(validWith("max.poll.records", "7"));
        assertEquals(Map.of("bootstrap.servers", "localhost:9092", "max.poll.records", "7"),
                config.kafkaProperties());
        assertThrows(UnsupportedOperationException.class, () -> config.kafkaProperties().put("x", "y"));
    }

    @Test
    void propertiesMapAndBuilderAreEquivalent() {
        Properties properties = new Properties();
        properties.setProperty("kmq.topic", "orders");
        properties.setProperty("kmq.group.id", "billing");
        properties.setProperty("bootstrap.servers", "localhost:9092");
        properties.setProperty("kmq.markers.topic", "orders-m");
        properties.setProperty("kmq.dead.letter.topic", "orders-dlq");
        properties.setProperty("kmq.message.timeout.ms", "45000");
        properties.setProperty("kmq.max.redeliveries", "5");
        properties.setProperty("kmq.max.in.flight", "100");
        KmqConfig fromProperties = KmqConfig.from(properties);
        KmqConfig fromBuilder = KmqConfig.builder().topic("orders").groupId("billing")
                .bootstrapServers("localhost:9092").markersTopic("orders-m").deadLetterTopic("orders-dlq")
                .messageTimeout(Duration.ofSeconds(45)).maxRedeliveries(5).maxInFlight(100).build();
        Map<String, Object> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        KmqConfig fromMap = KmqConfig.from(map);
        for (KmqConfig config : new KmqConfig[] {fromBuilder, fromMap}) {
            assertEquals(fromProperties.toString(), config.toString());
            assertEquals(fromProperties.kafkaProperties(), config.kafkaProperties());
            assertEquals(Duration.ofSeconds(45), config.messageTimeout());
        }
    }

    @Test
    void toBuilderKeepsTheSettings() {
        KmqConfig config = KmqConfig.from(validWith("kmq.max.in.flight", 9));
        KmqConfig copy = config.toBuilder().maxRedeliveries(1).build();
        assertEquals(9, copy.maxInFlight());
        assertEquals(1, copy.maxRedeliveries());
        assertEquals(config.topic(), copy.topic());
    }

    @Test
    void validationDoesNotMutateTheInput() {
        Map<String, Object> properties = valid();
        Map<String, Object> before = new HashMap<>(properties);
        KmqConfig.from(properties);
        assertEquals(before, properties);
        assertFalse(KmqConfig.from(properties).kafkaProperties().containsKey("kmq.topic"));
    }

    @Test
    void startsAreCoalescedOnlyWhereNoHandOutWaitsForThem() {
        assertTrue(KmqConfig.from(valid()).coalesceStarts(), "the default");
        assertFalse(KmqConfig.from(valid()).toBuilder().startCoalesce(false).build().coalesceStarts());
        assertFalse(KmqConfig.from(valid()).toBuilder().awaitStartBeforeHandout(true).build().coalesceStarts());
        assertFalse(KmqConfig.from(valid()).toBuilder().ackFlushInterval(Duration.ZERO).build().coalesceStarts());
        assertFalse(KmqConfig.from(valid()).toBuilder().markerRanges(false).build().coalesceStarts());
    }

    @Test
    void startsOfProcessedRecordsAreSkippedOnlyWhereStartsAreCoalesced() {
        assertTrue(KmqConfig.from(valid()).skipStartsOfProcessed(), "the default");
        assertFalse(KmqConfig.from(valid()).toBuilder().startSkipProcessed(false).build().skipStartsOfProcessed());
        assertFalse(KmqConfig.from(valid()).toBuilder().startCoalesce(false).build().skipStartsOfProcessed());
        assertFalse(KmqConfig.from(valid()).toBuilder().awaitStartBeforeHandout(true).build()
                .skipStartsOfProcessed());
        ConfigException e = assertThrows(ConfigException.class,
                () -> KmqConfig.from(valid()).toBuilder().set("kmq.start.skip.processed", "sometimes").build());
        assertTrue(e.getMessage().contains("kmq.start.skip.processed"), e.getMessage());
    }

    @Test
    void configDefDocumentsEveryKey() {
        assertEquals(java.util.Set.of("kmq.topic", "kmq.group.id", "kmq.markers.topic", "kmq.dead.letter.topic",
                "kmq.message.timeout.ms", "kmq.max.redeliveries", "kmq.max.in.flight", "kmq.marker.ranges",
                "kmq.ack.flush.interval.ms", "kmq.prefetch.batches", "kmq.commit.interval.ms", "kmq.start.await",
                "kmq.start.coalesce", "kmq.start.skip.processed"),
                KmqConfig.configDef().names());
        KmqConfig.configDef().configKeys().values()
                .forEach(key -> assertFalse(key.documentation.isBlank(), key.name));
    }
}
