package io.kmq.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and waits until they really answer. A leader listed by {@code describeTopics} is not enough: a
 * produce right after creation can still get NOT_LEADER_OR_FOLLOWER; a successful list-offsets on every partition is
 * the reliable signal.
 */
public final class TopicReadiness {

    private TopicReadiness() {
    }

    /** Creates the topic (an existing one is accepted) and waits until it is ready. */
    public static void create(Admin admin, String name, int partitions, short replicationFactor,
                              Map<String, String> configs, Duration timeout) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions : " + partitions + " (expected: >= 1)");
        }
        NewTopic topic = new NewTopic(name, partitions, replicationFactor).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic " + name + " not created within " + timeout, e);
        }
        await(admin, name, timeout);
    }

    /** Retries list-offsets on every partition of the topic until all succeed. */
    public static void await(Admin admin, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(name);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.latest()));
                admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            } catch (Exception e) {
                last = e;
                sleepQuietly(50);
            }
        }
        throw new IllegalStateException("topic " + name + " not ready within " + timeout, last);
    }

    /** Deletes a directory tree, logging nothing and ignoring files that vanish meanwhile. */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a file still held open by a stopping broker is removed with the temp dir later
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort, see above
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
