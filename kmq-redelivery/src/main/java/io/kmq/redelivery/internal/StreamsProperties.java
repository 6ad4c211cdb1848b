package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.TrackerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The properties of the tracker's Kafka clients. Of a {@link KmqConfig}'s pass-through properties only the connection
 * settings (those an Admin client accepts: bootstrap servers, security, timeouts) are used: the consumer and producer
 * settings are meant for the KmqClient, and Kafka Streams sets its own.
 */
public final class StreamsProperties {

    /** The tracker's default Kafka Streams {@code poll.ms}, overridable with {@code kmq.tracker.streams.poll.ms}. */
    public static final long DEFAULT_POLL_MS = 20;

    /**
     * The tracker's default {@code fetch.min.bytes} of its main consumer (the markers), overridable with
     * {@code kmq.tracker.streams.main.consumer.fetch.min.bytes} (or {@code consumer.} / plain): with
     * {@link #DEFAULT_FETCH_MAX_WAIT_MS} it cut the tracker's CPU in the live benchmark by about a fifth while the
     * p99 redelivery delay stayed the same.
     */
    public static final int DEFAULT_FETCH_MIN_BYTES = 65_536;
    /** The tracker's default {@code fetch.max.wait.ms} of its main consumer; see {@link #DEFAULT_FETCH_MIN_BYTES}. */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 20;

    private StreamsProperties() {
    }

    /**
     * The connection properties shared by every served config.
     *
     * @throws ConfigException if the configs name different clusters or security settings
     */
    public static Map<String, Object> connection(List<KmqConfig> configs) {
        Map<String, Object> first = connection(configs.get(0));
        for (KmqConfig config : configs.subList(1, configs.size())) {
            Map<String, Object> other = connection(config);
            if (!first.equals(other)) {
                throw new ConfigException("kmq.topic " + config.topic() + " has connection settings "
                        + redacted(other) + " (expected: the same as kmq.topic " + configs.get(0).topic() + ", "
                        + redacted(first) + "; one tracker talks to one cluster)");
            }
        }
        return first;
    }

    /** The connection properties of one config. */
    public static Map<String, Object> connection(KmqConfig config) {
        Map<String, Object> connection = new LinkedHashMap<>();
        config.kafkaProperties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) && !CommonClientConfigs.CLIENT_ID_CONFIG.equals(key)) {
                connection.put(key, value);
            }
        });
        return connection;
    }

    /** The Kafka Streams properties of a tracker. */
    public static Properties streams(TrackerSettings settings, String applicationId, Map<String, Object> connection) {
        Properties props = new Properties();
        props.putAll(connection);
        props.putAll(settings.streamsOverrides());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.stateCommitInterval().toMillis());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.numStandbyReplicas());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.numStreamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        settings.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        // an idle stream thread waits this long for markers before it runs due punctuators (Streams default 100 ms):
        // the 20 ms act-gap punctuator of the processor would otherwise wait up to 100 ms
        props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, DEFAULT_POLL_MS);
        // under a steady flow of markers, fewer and larger fetches: the tracker's CPU follows its wake-ups
        defaultForMainConsumer(props, ConsumerConfig.FETCH_MIN_BYTES_CONFIG, DEFAULT_FETCH_MIN_BYTES);
        defaultForMainConsumer(props, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, DEFAULT_FETCH_MAX_WAIT_MS);
        props.putIfAbsent(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.putIfAbsent(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        return props;
    }

    /** Sets {@code key} for the main consumer only if no form of it (plain, consumer., main.consumer.) is set. */
    private static void defaultForMainConsumer(Properties props, String key, Object value) {
        String mainKey = StreamsConfig.mainConsumerPrefix(key);
        if (!props.containsKey(key) && !props.containsKey(StreamsConfig.consumerPrefix(key))
                && !props.containsKey(mainKey)) {
            props.put(mainKey, value);
        }
    }

    private static Map<String, Object> redacted(Map<String, Object> connection) {
        Map<String, Object> shown = new LinkedHashMap<>();
        connection.forEach((key, value) -> shown.put(key, key.contains("password") || key.contains("jaas")
                || key.contains("secret") ? "[hidden]" : Objects.toString(value)));
        return shown;
    }
}
