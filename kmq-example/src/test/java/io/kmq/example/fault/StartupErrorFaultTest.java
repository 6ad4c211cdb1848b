package io.kmq.example.fault;

import static io.kmq.example.fault.FaultSetup.PARTITIONS;
import static io.kmq.example.fault.FaultSetup.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import io.kmq.example.ExampleSender;
import io.kmq.example.KmqCommand;
import io.kmq.testkit.JavaProcess;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.ProcessRole;
import io.kmq.testkit.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7 of the fault suite: a missing or mis-partitioned markers or dead-letter topic, and invalid settings.
 * {@code kmq process} and {@code kmq tracker}, each a separate process, exit non-zero at startup with a one-line
 * error naming the topic or the setting, before any message is consumed: messages are waiting in the topic, yet
 * nothing is printed as processed, no offset is committed and no marker is written.
 */
@Tag("fault")
@KafkaTest
class StartupErrorFaultTest {

    private static final int WAITING = 100;
    private static final Map<String, String> LOG_APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

    private final KafkaEnvironment kafka;

    StartupErrorFaultTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void markersTopicMissing(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = config(topic);
        kafka.createTopic(config.topic(), PARTITIONS);
        kafka.createTopic(config.deadLetterTopic(), PARTITIONS);
        assertBothRefuseToStart(config, dir, "markers topic " + config.markersTopic()
                + " (kmq.markers.topic) does not exist");
    }

    @Test
    void deadLetterTopicMissing(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = config(topic);
        kafka.createTopic(config.topic(), PARTITIONS);
        kafka.createTopic(config.markersTopic(), PARTITIONS, LOG_APPEND_TIME);
        assertBothRefuseToStart(config, dir, "dead-letter topic " + config.deadLetterTopic()
                + " (kmq.dead.letter.topic) does not exist");
    }

    @Test
    void markersTopicMisPartitioned(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = config(topic);
        kafka.createTopic(config.topic(), PARTITIONS);
        kafka.createTopic(config.markersTopic(), PARTITIONS - 2, LOG_APPEND_TIME);
        kafka.createTopic(config.deadLetterTopic(), PARTITIONS);
        assertBothRefuseToStart(config, dir, "markers topic " + config.markersTopic()
                + " (kmq.markers.topic) has " + (PARTITIONS - 2)
                + " partitions but message topic " + config.topic() + " (kmq.topic) has " + PARTITIONS);
    }

    @Test
    void invalidSettings(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = FaultSetup.createTopics(kafka, topic, Duration.ofSeconds(30), 3);
        send(config);
        assertRefusesToStart(config, dir, "in-flight", List.of("process", "--config",
                        properties(dir, "in-flight", "kmq.max.in.flight=0").toString()), "kmq.max.in.flight");
        assertRefusesToStart(config, dir, "auto-commit", List.of("process", "--config",
                        properties(dir, "auto-commit", "enable.auto.commit=true").toString()), "enable.auto.commit");
        assertRefusesToStart(config, dir, "punctuation", List.of("tracker", "--http-port", "0", "--config",
                        properties(dir, "punctuation", "kmq.tracker.punctuation.interval.ms=0").toString()),
                "kmq.tracker.punctuation.interval.ms");
        assertRefusesToStart(config, dir, "redeliveries", List.of("tracker", "--http-port", "0",
                "--max-redeliveries", "-1"), "kmq.max.redeliveries");
        assertNothingConsumed(config);
    }

    private KmqConfig config(TestTopic topic) {
        return KmqConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic.name())
                .groupId(topic.derived("processors")).build();
    }

    /** Sends messages that a processor that starts wrongly would consume. */
    private void send(KmqConfig config) {
        try (ExampleSender sender = new ExampleSender(kafka.bootstrapServers(), config.topic())) {
            sender.send(0, WAITING, id -> { });
        }
    }

    private void assertBothRefuseToStart(KmqConfig config, Path dir, String expected) throws Exception {
        send(config);
        try (ProcessRole processor = role(config, dir, "processor", List.of("process"));
             ProcessRole tracker = role(config, dir, "tracker", List.of("tracker", "--http-port", "0"))) {
            processor.start();
            tracker.start();
            assertRefused(processor, expected);
            assertRefused(tracker, expected);
        }
        assertNothingConsumed(config);
    }

    private void assertRefusesToStart(KmqConfig config, Path dir, String name, List<String> command, String expected)
            throws Exception {
        try (ProcessRole role = role(config, dir, name, command)) {
            role.start();
            assertRefused(role, expected);
        }
    }

    /** {@code kmq <command>} for {@code config}, as a process. */
    private ProcessRole role(KmqConfig config, Path dir, String name, List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic", config.topic(),
                "--group", config.groupId()));
        return ProcessRole.builder(name, KmqCommand.class.getName(), dir).args(args)
                .ids(KmqRoles.PROCESSED, id -> { }).build();
    }

    /** The role's run must exit non-zero with one stderr line containing {@code expected}, having processed nothing. */
    private static void assertRefused(ProcessRole role, String expected) throws Exception {
        JavaProcess run = role.current().orElseThrow();
        OptionalInt exit = run.awaitExit(PATIENCE);
        List<String> stderr = Files.readAllLines(role.stderrOf(1)).stream().filter(l -> !l.isBlank()).toList();
        String shown = role.stderrOf(1).getFileName() + ": exit " + exit + ", stderr " + stderr;
        assertTrue(exit.isPresent(), "still running: " + shown);
        assertNotEquals(0, exit.getAsInt(), shown);
        assertEquals(1, stderr.size(), "one line: " + shown);
        assertTrue(stderr.get(0).contains(expected), "names the problem (" + expected + "): " + shown);
        assertEquals(0, role.ids(), "processed nothing: " + shown);
        System.out.println("FAULT_DETAIL scenario=startup-error " + shown);
    }

    /** No offset committed, no marker written, nothing appended to the message topic. */
    private void assertNothingConsumed(KmqConfig config) throws Exception {
        assertEquals(Map.of(), KafkaProbe.committedOffsets(kafka.bootstrapServers(), config.groupId()),
                "offsets committed by " + config.groupId());
        assertEquals(WAITING, KafkaProbe.endOffsetSum(kafka.bootstrapServers(), config.topic()),
                "the message topic holds only the messages sent");
        if (KafkaProbe.exists(kafka.bootstrapServers(), config.markersTopic())) {
            assertEquals(0, KafkaProbe.endOffsetSum(kafka.bootstrapServers(), config.markersTopic()),
                    "markers written");
        }
    }

    private static Path properties(Path dir, String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name + ".properties"), content + "\n");
    }
}
