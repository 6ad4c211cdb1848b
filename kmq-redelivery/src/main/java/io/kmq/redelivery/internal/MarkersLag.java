package io.kmq.redelivery.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * How far this instance is behind on the markers partitions it owns: the sum of the main consumers'
 * {@code records-lag} (log-stable offset minus fetch position) over the active tasks' markers partitions. Unknown
 * ({@code -1}) while an owned partition has no lag metric yet, e.g. right after assignment.
 */
public final class MarkersLag {

    /** The lag when it is not known. */
    public static final long UNKNOWN = -1;

    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    private static final String LAG_METRIC = "records-lag";

    private MarkersLag() {
    }

    /** The total markers lag of this instance, or {@link #UNKNOWN} (also when Streams is not running). */
    public static long of(KafkaStreams streams, Set<String> markersTopics) {
        Set<ThreadMetadata> threads;
        try {
            threads = streams.metadataForLocalThreads();
        } catch (IllegalStateException | StreamsException e) {
            return UNKNOWN; // stopped or stopping between the caller's state check and now
        }
        Set<TopicPartition> owned = new HashSet<>();
        for (ThreadMetadata thread : threads) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(tp -> markersTopics.contains(tp.topic())).forEach(owned::add);
            }
        }
        if (owned.isEmpty()) {
            return 0;
        }
        Map<String, String> topicsByTag = new HashMap<>();
        markersTopics.forEach(topic -> {
            topicsByTag.put(topic, topic);
            topicsByTag.put(topic.replace('.', '_'), topic);
        });
        Map<TopicPartition, Double> lags = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            String clientId = name.tags().getOrDefault("client-id", "");
            if (!FETCH_GROUP.equals(name.group()) || !LAG_METRIC.equals(name.name())
                    || clientId.endsWith("restore-consumer")) {
                continue;
            }
            String topic = topicsByTag.get(name.tags().get("topic"));
            String partition = name.tags().get("partition");
            if (topic != null && partition != null && metric.getValue().metricValue() instanceof Double value) {
                lags.put(new TopicPartition(topic, Integer.parseInt(partition)), value);
            }
        }
        long total = 0;
        for (TopicPartition partition : owned) {
            Double lag = lags.get(partition);
            if (lag == null || lag.isNaN()) {
                return UNKNOWN;
            }
            total += Math.max(0, lag.longValue());
        }
        return total;
    }
}
