package io.kmq.redelivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import io.kmq.redelivery.internal.StreamsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TrackerSettingsTest {

    private static final KmqConfig ORDERS = KmqConfig.builder().topic("orders").groupId("billing")
            .bootstrapServers("localhost:9092").build();

    @Test
    void defaults() {
        TrackerSettings settings = TrackerSettings.defaults();
        assertEquals(Optional.empty(), settings.applicationId());
        assertEquals("billing__kmq-tracker", settings.applicationIdFor(ORDERS));
        assertEquals(Duration.ofMillis(100), settings.punctuationInterval());
        assertEquals(Duration.ofMillis(50), settings.commitInterval());
        assertEquals(Duration.ofSeconds(1), settings.stateCommitInterval());
        assertEquals(Duration.ofMillis(200), settings.maxReadDelay());
        assertEquals(0, settings.numStandbyReplicas());
        assertEquals(1, settings.numStreamThreads());
        assertEquals(Optional.empty(), settings.stateDir());
        assertEquals(-1, settings.replicationFactor());
        assertEquals(Duration.ofSeconds(2), settings.readerPollTimeout());
        assertEquals(1000, settings.maxActionsPerPunctuation());
        assertEquals(Duration.ofSeconds(30), settings.closeTimeout());
    }

    @Test
    void fromPropertiesReadsOnlyTrackerKeysAndPassesStreamsKeysThrough() {
        Properties props = new Properties();
        props.setProperty("kmq.topic", "orders");
        props.setProperty("bootstrap.servers", "localhost:9092");
        props.setProperty("kmq.tracker.application.id", "my-tracker");
        props.setProperty("kmq.tracker.punctuation.interval.ms", "250");
        props.setProperty("kmq.tracker.state.dir", "/var/lib/kmq");
        props.setProperty("kmq.tracker.streams.session.timeout.ms", "10000");

        TrackerSettings settings = TrackerSettings.from(props);

        assertEquals("my-tracker", settings.applicationIdFor(ORDERS));
        assertEquals(Duration.ofMillis(250), settings.punctuationInterval());
        assertEquals(Optional.of(Path.of("/var/lib/kmq")), settings.stateDir());
        assertEquals(Map.of("session.timeout.ms", "10000"), settings.streamsOverrides());
    }

    @Test
    void builderRoundTripsThroughToBuilder() {
        TrackerSettings settings = TrackerSettings.builder().punctuationInterval(Duration.ofMillis(50))
                .numStandbyReplicas(1).replicationFactor(3).build();
        TrackerSettings copy = settings.toBuilder().commitInterval(Duration.ofSeconds(1))
                .maxReadDelay(Duration.ZERO).build();
        assertEquals(Duration.ofMillis(50), copy.punctuationInterval());
        assertEquals(1, copy.numStandbyReplicas());
        assertEquals(3, copy.replicationFactor());
        assertEquals(Duration.ofSeconds(1), copy.commitInterval());
        assertEquals(Duration.ZERO, copy.maxReadDelay());
    }

    @Test
    void errorsNameTheKeyTheValueAndWhatWasExpected() {
        assertMessage(() -> TrackerSettings.builder().punctuationInterval(Duration.ZERO).build(),
                "kmq.tracker.punctuation.interval.ms", "0", "at least 1");
        assertMessage(() -> TrackerSettings.from(Map.of("kmq.tracker.max.read.delay.ms", "-1")),
                "kmq.tracker.max.read.delay.ms", "-1", "at least 0");
        assertMessage(() -> TrackerSettings.builder().replicationFactor(0).build(),
                "kmq.tracker.replication.factor", "0", "-1 (broker default) or >= 1");
        assertMessage(() -> TrackerSettings.builder().applicationId("no spaces").build(),
                "kmq.tracker.application.id", "no spaces", "[a-zA-Z0-9._-]");
        assertMessage(() -> TrackerSettings.from(Map.of("kmq.tracker.punctuation.intervall.ms", "5")),
                "kmq.tracker.punctuation.intervall.ms", "Unknown");
        assertMessage(() -> TrackerSettings.from(Map.of("kmq.tracker.streams.processing.guarantee", "at_least_once")),
                "kmq.tracker.streams.processing.guarantee", "exactly_once_v2");
        assertMessage(() -> TrackerSettings.from(Map.of("kmq.tracker.streams.commit.interval.ms", "5")),
                "kmq.tracker.streams.commit.interval.ms", "kmq.tracker.state.commit.interval.ms");
        assertMessage(() -> TrackerSettings.builder().stateCommitInterval(Duration.ofSeconds(10)).build(),
                "kmq.tracker.state.commit.interval.ms", "10000", "transaction timeout of 10000 ms",
                "kmq.tracker.streams.producer.transaction.timeout.ms");
        assertMessage(() -> TrackerSettings.builder().stateCommitInterval(Duration.ofSeconds(30))
                        .streamsProperty("transaction.timeout.ms", "20000").build(),
                "kmq.tracker.state.commit.interval.ms", "30000", "transaction timeout of 20000 ms");
        assertMessage(() -> TrackerSettings.builder().set("kmq.topic", "x").build(), "kmq.topic", "kmq.tracker.");
        assertMessage(() -> TrackerSettings.defaults().applicationIdFor(KmqConfig.builder().topic("o")
                .groupId("billing team").bootstrapServers("b:1").build()), "billing team__kmq-tracker",
                "kmq.tracker.application.id");
    }

    @Test
    void streamsPropertiesEnforceExactlyOnceAndTakeOnlyConnectionSettingsFromKmqConfig() {
        KmqConfig secured = ORDERS.toBuilder().set("security.protocol", "SSL").set("max.poll.records", "7")
                .set("client.id", "mine").build();
        TrackerSettings settings = TrackerSettings.builder().streamsProperty("num.stream.threads.x", "1")
                .stateDir(Path.of("/tmp/s")).build();

        Properties props = StreamsProperties.streams(settings, "app", StreamsProperties.connection(List.of(secured)));

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("app", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("SSL", props.get("security.protocol"));
        assertEquals("localhost:9092", props.get("bootstrap.servers"));
        assertEquals("/tmp/s", props.get(StreamsConfig.STATE_DIR_CONFIG));
        assertTrue(!props.containsKey("max.poll.records") && !props.containsKey("client.id"),
                "consumer settings and client.id of the KmqClient are not the tracker's: " + props);
    }

    @Test
    void streamsCommitsAtTheStateCommitIntervalBelowALongerTransactionTimeout() {
        TrackerSettings settings = TrackerSettings.builder().stateCommitInterval(Duration.ofMinutes(2))
                .streamsProperty(StreamsConfig.producerPrefix("transaction.timeout.ms"), "300000").build();

        Properties props = StreamsProperties.streams(settings, "app", StreamsProperties.connection(List.of(ORDERS)));

        assertEquals(120_000L, props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(Duration.ofMillis(50), settings.commitInterval());
    }

    @Test
    void pollMsDefaultsToTheActGapAndCanBeOverridden() {
        Map<String, Object> connection = StreamsProperties.connection(List.of(ORDERS));

        Properties defaults = StreamsProperties.streams(TrackerSettings.defaults(), "app", connection);
        TrackerSettings pollEvery50 = TrackerSettings.builder().streamsProperty(StreamsConfig.POLL_MS_CONFIG, "50")
                .build();
        Properties overridden = StreamsProperties.streams(pollEvery50, "app", connection);

        assertEquals(StreamsProperties.DEFAULT_POLL_MS, defaults.get(StreamsConfig.POLL_MS_CONFIG));
        assertEquals("50", overridden.get(StreamsConfig.POLL_MS_CONFIG));
    }

    @Test
    void mainConsumerFetchesLargerBatchesUnlessAnyFormOfTheSettingIsGiven() {
        Map<String, Object> connection = StreamsProperties.connection(List.of(ORDERS));
        String mainMinBytes = StreamsConfig.mainConsumerPrefix("fetch.min.bytes");

        Properties defaults = StreamsProperties.streams(TrackerSettings.defaults(), "app", connection);
        assertEquals(StreamsProperties.DEFAULT_FETCH_MIN_BYTES, defaults.get(mainMinBytes));
        assertEquals(StreamsProperties.DEFAULT_FETCH_MAX_WAIT_MS,
                defaults.get(StreamsConfig.mainConsumerPrefix("fetch.max.wait.ms")));
        String consumerMinBytes = StreamsConfig.consumerPrefix("fetch.min.bytes");
        for (String given : List.of("fetch.min.bytes", consumerMinBytes, mainMinBytes)) {
            Properties props = StreamsProperties.streams(TrackerSettings.builder().streamsProperty(given, "1").build(),
                    "app", connection);
            assertEquals("1", props.get(given), given);
            assertEquals(given.equals(mainMinBytes), props.containsKey(mainMinBytes), given);
        }
    }

    @Test
    void configsOfOneTrackerMustShareTheCluster() {
        KmqConfig elsewhere = KmqConfig.builder().topic("payments").groupId("g").bootstrapServers("other:9092")
                .build();
        assertMessage(() -> StreamsProperties.connection(List.of(ORDERS, elsewhere)), "payments", "other:9092",
                "one tracker talks to one cluster");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable action, String... parts) {
        Exception error = assertThrows(ConfigException.class, action);
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "'" + error.getMessage() + "' lacks '" + part + "'");
        }
    }
}
