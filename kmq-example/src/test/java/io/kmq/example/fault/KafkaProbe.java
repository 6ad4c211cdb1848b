package io.kmq.example.fault;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads what a scenario left in Kafka: end offsets of a topic, committed offsets of a group. */
final class KafkaProbe {

    private KafkaProbe() {
    }

    /** The sum of the end offsets of every partition of {@code topic}: how many offsets were ever written. */
    static long endOffsetSum(String bootstrapServers, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        }
    }

    /** How many partitions of {@code topics} broker {@code brokerId} leads. */
    static long partitionsLedBy(String bootstrapServers, int brokerId, String... topics)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.describeTopics(List.of(topics)).allTopicNames().get().values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .filter(partition -> partition.leader() != null && partition.leader().id() == brokerId)
                    .count();
        }
    }

    /** Whether {@code topic} exists. */
    static boolean exists(String bootstrapServers, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.listTopics().names().get().contains(topic);
        }
    }

    /** The offsets committed by consumer group {@code group}; empty if it never committed. */
    static Map<TopicPartition, Long> committedOffsets(String bootstrapServers, String group)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
