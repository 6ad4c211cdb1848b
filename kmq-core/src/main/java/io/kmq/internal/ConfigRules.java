package io.kmq.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The validation rules of {@link io.kmq.KmqConfig} that a {@link ConfigDef} validator cannot express: topic names,
 * cross-field rules and the Kafka client properties kmq's guarantees depend on. Rules only check; they never mutate.
 */
public final class ConfigRules {

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** A required, legal Kafka topic name. */
    public static final ConfigDef.Validator TOPIC_NAME = new TopicNameValidator(false);
    /** A legal Kafka topic name, or empty for "derive the default". */
    public static final ConfigDef.Validator OPTIONAL_TOPIC_NAME = new TopicNameValidator(true);

    /**
     * Kafka client properties that kmq sets itself because its guarantees depend on them, with the only value accepted
     * from the user.
     */
    private static final Map<String, String> FIXED = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");

    /** Properties kmq sets from its own arguments; the user may not set them at all. */
    private static final Set<String> OWNED = Set.of(
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private ConfigRules() {
    }

    /** Fails on a {@code kmq.*} key that no setting defines: most likely a typo. */
    public static void rejectUnknownKmqKeys(Collection<String> given, Set<String> defined) {
        for (String key : given) {
            if (!defined.contains(key)) {
                throw new ConfigException("Unknown kmq setting '" + key + "' (expected one of " + defined.stream()
                        .sorted().toList() + ")");
            }
        }
    }

    /** Fails when two of the kmq topics have the same name. */
    public static void requireDistinctTopics(String topic, String markersTopic, String deadLetterTopic) {
        if (markersTopic.equals(topic)) {
            throw new ConfigException("kmq.markers.topic", markersTopic, "must differ from kmq.topic");
        }
        if (deadLetterTopic.equals(topic)) {
            throw new ConfigException("kmq.dead.letter.topic", deadLetterTopic, "must differ from kmq.topic");
        }
        if (deadLetterTopic.equals(markersTopic)) {
            throw new ConfigException("kmq.dead.letter.topic", deadLetterTopic, "must differ from kmq.markers.topic");
        }
    }

    /** Fails when the duration of {@code key} is not less than that of {@code boundKey}. */
    public static void requireBelow(String key, java.time.Duration value, String boundKey, java.time.Duration bound) {
        if (value.compareTo(bound) >= 0) {
            throw new ConfigException(key, value.toMillis(), "must be less than " + boundKey + "=" + bound.toMillis());
        }
    }

    /**
     * Checks the pass-through Kafka properties: {@code bootstrap.servers} present, the guarantee-critical settings at
     * their only accepted value, no serializer or transactional id, and {@code group.id} only if equal to
     * {@code kmq.group.id}.
     */
    public static void checkKafkaProperties(Map<String, Object> kafka, String groupId) {
        Object bootstrap = kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.toString().isBlank()) {
            throw new ConfigException("Missing required configuration \"bootstrap.servers\" which has no default "
                    + "value (expected: host:port[,host:port...])");
        }
        FIXED.forEach((key, expected) -> {
            Object value = kafka.get(key);
            if (value != null && !expected.equals(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(key, value, "kmq requires " + key + "=" + expected
                        + " for its delivery guarantee; remove the setting or set it to " + expected);
            }
        });
        Object acks = kafka.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !("all".equalsIgnoreCase(acks.toString().trim()) || "-1".equals(acks.toString().trim()))) {
            throw new ConfigException(ProducerConfig.ACKS_CONFIG, acks, "kmq requires acks=all (or -1) so that a "
                    + "START marker is durable before the offset is committed; remove the setting or set it to all");
        }
        for (String key : OWNED) {
            if (kafka.containsKey(key)) {
                throw new ConfigException(key, kafka.get(key), "is set by kmq itself and cannot be configured "
                        + "(pass deserializers to the KmqClient constructor instead)");
            }
        }
        Object group = kafka.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group != null && !group.toString().equals(groupId)) {
            throw new ConfigException(ConsumerConfig.GROUP_ID_CONFIG, group, "conflicts with kmq.group.id=" + groupId
                    + "; set only kmq.group.id");
        }
    }

    private record TopicNameValidator(boolean emptyAllowed) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String topic = value == null ? null : value.toString();
            if (topic == null || topic.isEmpty()) {
                if (emptyAllowed) {
                    return;
                }
                throw new ConfigException(name, value, "a topic name is required");
            }
            if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new ConfigException(name, value, "expected a legal Kafka topic name: 1 to 249 characters "
                        + "from [a-zA-Z0-9._-], not '.' or '..'");
            }
        }

        @Override
        public String toString() {
            return emptyAllowed ? "a legal Kafka topic name, or empty for the default" : "a legal Kafka topic name";
        }
    }
}
