package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tracker sidecar started in a JVM of its own for a kmq run: healthy, then stopped, its directory deleted. */
@KafkaTest
class TrackerProcessTest {

    @Test
    @Timeout(180)
    void aTrackerJvmBecomesHealthyAndStopsWithItsDirectory(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        KmqConfig config = KmqConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic.name())
                .groupId(topic.derived("group")).build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, 2, (short) 1);
        }
        Path before = Path.of(System.getProperty("java.io.tmpdir"));
        long directoriesBefore = trackerDirectories(before);
        // waits for 200
        AutoCloseable tracker = Trackers.process(kafka.defaultReplicationFactor(), Map.of()).start(config);
        assertTrue(trackerDirectories(before) > directoriesBefore, "a directory of its own while it runs");
        tracker.close();
        assertTrue(trackerDirectories(before) == directoriesBefore, "its directory is deleted once it stopped");
    }

    private static long trackerDirectories(Path tmp) throws Exception {
        try (var paths = Files.list(tmp)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("kmq-bench-tracker-")).count();
        }
    }
}
