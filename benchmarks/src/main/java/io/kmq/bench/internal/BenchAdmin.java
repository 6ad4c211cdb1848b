package io.kmq.bench.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin operations the harness needs beyond creating topics: share group settings and cleanup. */
public final class BenchAdmin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchAdmin.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Group configs every benchmark share group gets: start at the earliest offset (share groups start at the latest
     * by default), and update the assignment at once instead of at most once a second, so a new consumer gets its
     * partitions sooner. Only the group's start-up changes; its steady state does not.
     */
    static final Map<String, String> SHARE_GROUP_CONFIGS = Map.of(
            "share.auto.offset.reset", "earliest",
            "share.assignment.interval.ms", "0");

    private final Admin admin;
    /** Deletions started and not yet waited for; a listing's callback may add a deletion while close() drains. */
    private final Queue<KafkaFuture<?>> pending = new ConcurrentLinkedQueue<>();

    /** An admin client for the cluster at {@code bootstrapServers}. */
    public BenchAdmin(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kmq-bench-admin"));
    }

    /**
     * Sets {@link #SHARE_GROUP_CONFIGS} on share group {@code groupId}, before any consumer joins it.
     *
     * @throws IllegalStateException naming the group if the broker refuses
     */
    public void prepareShareGroup(String groupId) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> ops = SHARE_GROUP_CONFIGS.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set " + SHARE_GROUP_CONFIGS + " on share group " + groupId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + groupId, e);
        }
    }

    /**
     * Deletes the topics of a run in the background: {@code runName} itself and every topic whose name continues it
     * with {@code _} or {@code -} (kmq's markers and dead-letter topics, the tracker's changelogs). A failure is
     * logged, never thrown: cleanup must not fail a finished run, nor delay the next one.
     */
    public void deleteRunTopicsQuietly(String runName) {
        pending.add(admin.listTopics().names().whenComplete((names, listFailure) -> {
            if (listFailure != null) {
                log.warn("could not list the topics of run {} to delete them: {}", runName, listFailure.toString());
                return;
            }
            deleteTopicsQuietly(names.stream()
                    .filter(n -> n.equals(runName) || n.startsWith(runName + "_") || n.startsWith(runName + "-"))
                    .toList());
        }));
    }

    /**
     * How many offsets {@code topic} holds: the sum of its partitions' end offsets (a transaction's commit marker
     * takes one too), or -1, logged, if it cannot be read within 30 s.
     */
    public long offsetCount(String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                    OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not count the offsets of {}: {}", topic, e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Deletes topics in the background, logging (not throwing) a failure. */
    public void deleteTopicsQuietly(Collection<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        pending.add(admin.deleteTopics(topics).all().whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("could not delete topics {}: {}", topics, failure.toString());
            }
        }));
    }

    /** Waits (30 s at most) for the deletions still running, then closes the admin client. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        KafkaFuture<?> next;
        while ((next = pending.poll()) != null) {
            try {
                next.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // logged by the future's own callback
            } catch (TimeoutException e) {
                log.warn("topic deletions still running after {}; leaving them to the broker", TIMEOUT);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        admin.close(Duration.ofSeconds(5));
    }
}
