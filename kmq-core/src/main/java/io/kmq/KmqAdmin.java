package io.kmq;

import io.kmq.internal.ClientProperties;
import io.kmq.internal.KafkaClientFactory;
import io.kmq.internal.PartitionReadiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and checks the three topics of a kmq queue: the message topic, the markers topic (same partition count,
 * {@code message.timestamp.type=LogAppendTime}) and the dead-letter topic.
 */
public final class KmqAdmin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KmqAdmin.class);
    /** How long one admin request, and waiting for new topics to answer, may take. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG_APPEND_TIME = "LogAppendTime";

    private final Admin admin;

    /** Wraps an admin client, which this object then owns and closes. */
    KmqAdmin(Admin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /** An admin for the cluster of {@code config}, created from its pass-through Kafka properties. */
    public static KmqAdmin create(KmqConfig config) {
        Objects.requireNonNull(config, "config");
        return new KmqAdmin(KafkaClientFactory.DEFAULT.admin(ClientProperties.admin(config)));
    }

    /**
     * Creates the message, markers and dead-letter topics of {@code config} with {@code partitions} partitions each,
     * then waits until every partition answers. Topics that exist already are kept as they are, provided the set passes
     * {@link #validate}.
     *
     * @param partitions        partitions of each topic, {@code >= 1}
     * @param replicationFactor replicas of each partition, {@code >= 1}
     * @throws KmqException if a topic cannot be created, does not become ready within 60 s, or fails validation
     */
    public void createTopics(KmqConfig config, int partitions, short replicationFactor) {
        Objects.requireNonNull(config, "config");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions : " + partitions + " (expected: >= 1)");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor : " + replicationFactor + " (expected: >= 1)");
        }
        List<NewTopic> topics = List.of(
                new NewTopic(config.topic(), partitions, replicationFactor),
                new NewTopic(config.markersTopic(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME)),
                new NewTopic(config.deadLetterTopic(), partitions, replicationFactor));
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                await(created, "create topic " + name);
                log.info("created topic {} with {} partition(s)", name, partitions);
            } catch (KmqException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                log.info("topic {} exists already; it is kept if the topics pass validation", name);
            }
        });
        try {
            PartitionReadiness.await(admin, names(config), TIMEOUT);
        } catch (IllegalStateException e) {
            throw new KmqException(e.getMessage(), e.getCause());
        }
        validate(config);
    }

    /**
     * Checks that the topics of {@code config} can work together: all three exist, the markers topic has as many
     * partitions as the message topic, and it uses {@code message.timestamp.type=LogAppendTime}.
     *
     * @throws KmqException with a one-line message naming the topic and the setting that names it, what it has and what
     *     was expected
     */
    public void validate(KmqConfig config) {
        Objects.requireNonNull(config, "config");
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(config.topic(), "message topic " + config.topic() + " (" + KmqConfig.TOPIC_CONFIG + ")");
        roles.put(config.markersTopic(), markersTopic(config));
        roles.put(config.deadLetterTopic(), "dead-letter topic " + config.deadLetterTopic() + " ("
                + KmqConfig.DEAD_LETTER_TOPIC_CONFIG + ")");
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(roles.keySet()).topicNameValues();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        roles.forEach((name, role) -> partitions.put(name, describe(described.get(name), name, role)
                .partitions().size()));
        int messagePartitions = partitions.get(config.topic());
        int markerPartitions = partitions.get(config.markersTopic());
        if (markerPartitions != messagePartitions) {
            throw new KmqException(markersTopic(config) + " has " + markerPartitions + " partitions but "
                    + roles.get(config.topic()) + " has " + messagePartitions + " (expected: equal)");
        }
        String timestampType = timestampType(config.markersTopic());
        if (!LOG_APPEND_TIME.equals(timestampType)) {
            throw new KmqException(markersTopic(config) + " has "
                    + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + timestampType + " (expected: "
                    + LOG_APPEND_TIME + ", so that timeouts count from the broker's append time)");
        }
    }

    /** Closes the admin client. */
    @Override
    public void close() {
        admin.close(TIMEOUT);
    }

    private static List<String> names(KmqConfig config) {
        return new ArrayList<>(List.of(config.topic(), config.markersTopic(), config.deadLetterTopic()));
    }

    /** How errors name the markers topic: role, name and the setting that names it. */
    private static String markersTopic(KmqConfig config) {
        return "markers topic " + config.markersTopic() + " (" + KmqConfig.MARKERS_TOPIC_CONFIG + ")";
    }

    private static TopicDescription describe(KafkaFuture<TopicDescription> future, String name, String role) {
        try {
            return await(future, "describe " + role);
        } catch (KmqException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KmqException(role + " does not exist (expected: an existing topic; create it "
                        + "with KmqAdmin.createTopics)");
            }
            throw e;
        }
    }

    private String timestampType(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = await(admin.describeConfigs(List.of(resource)).values().get(resource),
                "describe the configs of topic " + topic);
        ConfigEntry entry = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        return entry == null ? "<unknown>" : entry.value();
    }

    /** Waits for an admin result; every failure becomes a KmqException saying what was being done, cause kept. */
    private static <T> T await(KafkaFuture<T> future, String action) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KmqException("cannot " + action + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KmqException("cannot " + action + ": no answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmqException("interrupted while trying to " + action, e);
        }
    }
}
