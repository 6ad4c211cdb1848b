package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqAdmin;
import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Trackers started one after another in the one tracker JVM the benchmark keeps. */
@KafkaTest
class TrackerHostTest {

    @Test
    @Timeout(240)
    void trackersOfSuccessiveRunsShareOneJvmAndRedeliver(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        KmqConfig first = config(kafka, topic.name());
        KmqConfig second = config(kafka, topic.derived("second"));
        try (TrackerHost host = new TrackerHost(kafka.defaultReplicationFactor())) {
            host.start(first).close();
            OptionalLong pid = host.pid();
            assertTrue(pid.isPresent(), "the tracker JVM runs after the first tracker");

            try (AutoCloseable tracker = host.start(second)) {
                assertEquals(pid, host.pid(), "the second tracker runs in the same JVM");
                assertRedelivered(kafka, second);
            }

            KmqConfig missing = config(kafka, topic.derived("missing"), false);
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> host.start(missing));
            assertTrue(failure.getMessage().contains(missing.topic()), failure.getMessage());
            assertEquals(pid, host.pid(), "a tracker that fails to start leaves the JVM running");
        }
    }

    @Test
    @Timeout(240)
    void trackerSettingsReachTheTrackersOfTheJvm(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        try (TrackerHost host = new TrackerHost(kafka.defaultReplicationFactor(),
                Map.of("kmq.tracker.commit.interval.ms", "-5"))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> host.start(config(kafka, topic.name())));
            assertTrue(failure.getMessage().contains("kmq.tracker.commit.interval.ms"), failure.getMessage());
        }
        KmqConfig config = config(kafka, topic.derived("tuned"));
        try (TrackerHost host = new TrackerHost(kafka.defaultReplicationFactor(),
                Map.of("kmq.tracker.streams.main.consumer.fetch.max.wait.ms", "20"));
             AutoCloseable tracker = host.start(config)) {
            assertRedelivered(kafka, config);
        }
    }

    @Test
    @Timeout(120)
    void closingStopsTheJvm(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        TrackerHost host = new TrackerHost(kafka.defaultReplicationFactor());
        host.start(config(kafka, topic.name())).close();
        long pid = host.pid().orElseThrow();
        host.close();
        assertFalse(host.pid().isPresent());
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** The benchmark JVM gone (the end of stdin) with two trackers running: the tracker JVM stops both and ends. */
    @Test
    @Timeout(240)
    void theEndOfItsCommandsStopsEveryTrackerStillRunning(KafkaEnvironment kafka, TestTopic topic, @TempDir Path dir)
            throws Exception {
        StringBuilder commands = new StringBuilder();
        for (String id : List.of("t1", "t2")) {
            KmqConfig config = config(kafka, topic.derived(id));
            Path properties = dir.resolve(id + ".properties");
            TrackerProcess.store(TrackerProcess.originals(config), properties, config);
            commands.append("start ").append(id).append(' ').append(kafka.defaultReplicationFactor()).append(' ')
                    .append(properties).append('\n');
        }
        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        new TrackerHostMain(new PrintStream(answers, true, StandardCharsets.UTF_8))
                .serve(new ByteArrayInputStream(commands.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("ready", "started t1", "started t2", "stopped t1", "stopped t2"),
                answers.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** A record handed out and never acknowledged comes back once its 1 s timeout passed. */
    private static void assertRedelivered(KafkaEnvironment kafka, KmqConfig config) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
             KmqClient<String, String> client = new KmqClient<>(config, new StringDeserializer(),
                     new StringDeserializer())) {
            producer.send(new ProducerRecord<>(config.topic(), 0, "k", "v"));
            producer.flush();
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                received.addAll(client.nextBatch(Duration.ofMillis(100)));
                return received.stream().anyMatch(r -> r.headers().lastHeader(KmqHeaders.REDELIVERY_COUNT) != null);
            });
            assertEquals("v", received.get(received.size() - 1).value());
        }
    }

    private static KmqConfig config(KafkaEnvironment kafka, String topic) {
        return config(kafka, topic, true);
    }

    private static KmqConfig config(KafkaEnvironment kafka, String topic, boolean create) {
        KmqConfig config = KmqConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
                .groupId(topic + "-group").messageTimeout(Duration.ofSeconds(1)).build();
        if (create) {
            try (KmqAdmin admin = KmqAdmin.create(config)) {
                admin.createTopics(config, 1, kafka.defaultReplicationFactor());
            }
        }
        return config;
    }
}
