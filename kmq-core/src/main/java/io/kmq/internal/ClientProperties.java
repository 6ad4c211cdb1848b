package io.kmq.internal;

import io.kmq.KmqConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Builds the properties of the Kafka clients kmq creates from a {@link KmqConfig}: the user's pass-through properties
 * plus the settings kmq's guarantees depend on. {@link KmqConfig} has already rejected user values that contradict
 * those settings, so putting them here never overrides a different user choice; defaults (such as
 * {@code auto.offset.reset=earliest}) apply only when the user set nothing.
 */
public final class ClientProperties {

    /**
     * {@code linger.ms} of the marker producer unless set, with {@code kmq.start.await=handout}: every batch waits for
     * its START markers, so they must leave at once; with no linger they do without {@code flush()}, which would also
     * wait for END markers sent before. END markers still share requests while earlier ones are in flight. A user-set
     * linger is honoured: START markers are then flushed (see {@link #lingers}).
     */
    static final String DEFAULT_LINGER_MS = "0";
    /**
     * {@code linger.ms} of the marker producer unless set, with {@code kmq.start.await=commit}: no hand-out waits for a
     * START marker, only the offset commit does, so the START and END markers of a few polls share one produce request
     * (fewer requests for the broker, which the message producers share); as long as the default acknowledgment flush
     * interval, so that one flush's markers leave as one request.
     */
    static final String DEFAULT_LINGER_MS_HANDED_OUT_AT_ONCE = String.valueOf(KmqConfig.DEFAULT_ACK_FLUSH_INTERVAL_MS);
    /** {@code max.poll.records} unless set, capped at {@code kmq.max.in.flight}: Kafka's own default. */
    static final int DEFAULT_MAX_POLL_RECORDS = 500;

    private ClientProperties() {
    }

    /** Properties of the message-topic consumer. */
    public static Map<String, Object> consumer(KmqConfig config) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                String.valueOf(Math.min(DEFAULT_MAX_POLL_RECORDS, config.maxInFlight())));
        return properties;
    }

    /** {@code max.poll.records} of a consumer with these properties, as Kafka would parse the value (500 if unset). */
    public static int maxPollRecords(Map<String, Object> consumerProperties) {
        Object value = consumerProperties.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        if (value == null) {
            return DEFAULT_MAX_POLL_RECORDS;
        }
        return (Integer) ConfigDef.parseType(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value, ConfigDef.Type.INT);
    }

    /** Properties of the marker producer. */
    public static Map<String, Object> producer(KmqConfig config) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, config.awaitStartBeforeHandout() ? DEFAULT_LINGER_MS
                : DEFAULT_LINGER_MS_HANDED_OUT_AT_ONCE);
        suffixClientId(properties, "-markers");
        return properties;
    }

    /** Whether a producer with these properties lingers ({@code linger.ms > 0}), as Kafka would parse the value. */
    public static boolean lingers(Map<String, Object> producerProperties) {
        Object linger = producerProperties.get(ProducerConfig.LINGER_MS_CONFIG);
        if (linger == null) {
            return false;
        }
        Object parsed = ConfigDef.parseType(ProducerConfig.LINGER_MS_CONFIG, linger, ConfigDef.Type.LONG);
        return (Long) parsed > 0;
    }

    /** Properties of an admin client. */
    public static Map<String, Object> admin(KmqConfig config) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        suffixClientId(properties, "-admin");
        return properties;
    }

    /** Two clients with one client.id would clash in JMX; the consumer keeps the user's id unchanged. */
    private static void suffixClientId(Map<String, Object> properties, String suffix) {
        Object clientId = properties.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        if (clientId != null && !clientId.toString().isEmpty()) {
            properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + suffix);
        }
    }
}
