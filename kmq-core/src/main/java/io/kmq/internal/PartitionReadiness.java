package io.kmq.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until every partition of new topics really answers. A leader listed by {@code describeTopics} is not enough:
 * a produce right after creation can still get NOT_LEADER_OR_FOLLOWER, and a producer then waits out its whole
 * {@code delivery.timeout.ms}. A successful list-offsets on every partition is the reliable signal.
 */
public final class PartitionReadiness {

    private static final long RETRY_PAUSE_MS = 50;
    private static final long REQUEST_TIMEOUT_MS = 5_000;

    private PartitionReadiness() {
    }

    /**
     * Retries describe and list-offsets on every partition of the topics until all succeed.
     *
     * @throws IllegalStateException naming the topics and the last error if they are not ready within {@code timeout}
     */
    public static void await(Admin admin, List<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        do {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                        .get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                descriptions.values().forEach(topic -> topic.partitions().forEach(partition -> request.put(
                        new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(request).all().get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(RETRY_PAUSE_MS); // a retry pause, not a correctness wait: the loop checks the state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("topics " + topics + " not ready within " + timeout + " (last error: " + last
                + ")", last);
    }
}
