package io.kmq.bench.internal;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.bench.SystemKind;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Opens the {@link Receiver} of each system on a topic. */
final class Receivers {

    /** Generous: a dropped message may be redelivered up to {@code BenchSettings.MAX_DROPS_LIMIT} times. */
    static final int KMQ_MAX_REDELIVERIES = 10;

    private Receivers() {
    }

    /**
     * Creates the system's extra topics if it has any (kmq: markers and dead-letter), then the receiver.
     *
     * @param topic      the message topic, which exists
     * @param runName    unique name of this run: group id, and prefix of the run's own topics
     * @param drops      whether the run drops deliveries
     */
    static Receiver open(SystemKind system, RunContext context, String topic, String runName, boolean drops) {
        return switch (system) {
            case PLAIN -> new PlainReceiver(context.bootstrapServers(), topic, runName, drops,
                    context.settings().plainProperties());
            case SHARE -> {
                context.admin().prepareShareGroup(runName);
                yield new ShareReceiver(context.bootstrapServers(), topic, runName);
            }
            case KMQ -> new KmqReceiver(withKmqTopics(context, topic, runName), context.trackers(),
                    context.settings().kmqAckBatch());
            case ORIGINAL -> new OriginalKmqReceiver(context.bootstrapServers(), withKmqTopics(context, topic, runName),
                    context.trackers());
        };
    }

    /** kmq's settings for the run, after creating its markers and dead-letter topics. */
    private static KmqConfig withKmqTopics(RunContext context, String topic, String runName) {
        KmqConfig config = kmqConfig(context, topic, runName);
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, context.settings().partitions(), context.kafka().defaultReplicationFactor());
        }
        return config;
    }

    /** The properties every benchmark consumer starts from: where, which group, and the group as client id. */
    static Map<String, Object> consumerProperties(String bootstrapServers, String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        return props;
    }

    /** The markers topic of a kmq or original run. */
    static String markersTopic(String runName) {
        return runName + "__markers";
    }

    /** kmq's settings for a run; its markers and dead-letter topics are the run's own, named after the run. */
    static KmqConfig kmqConfig(RunContext context, String topic, String runName) {
        KmqConfig.Builder builder = KmqConfig.builder();
        context.settings().kmqProperties().forEach(builder::set);
        return builder
                .bootstrapServers(context.bootstrapServers())
                .topic(topic)
                .groupId(runName)
                .markersTopic(markersTopic(runName))
                .deadLetterTopic(runName + "__undelivered")
                .messageTimeout(context.settings().kmqMessageTimeout())
                .maxInFlight(context.settings().kmqMaxInFlight())
                .maxRedeliveries(KMQ_MAX_REDELIVERIES)
                .build();
    }
}
