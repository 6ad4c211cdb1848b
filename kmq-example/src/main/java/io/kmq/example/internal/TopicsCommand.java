package io.kmq.example.internal;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.KmqException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmq topics}: creates the message, markers and dead-letter topics of a kmq queue with {@link KmqAdmin}, or
 * checks them if they exist. Exit codes: 0 ready, 1 a topic could not be created or fails validation, 2 bad command
 * line (both with a one-line error).
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates the three topics of a kmq queue (message, markers, dead-letter) or, where they exist, "
                + "checks that they fit together; prints their names.")
public final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Option(names = "--markers-topic", description = "The markers topic (kmq.markers.topic); default <topic>__markers.")
    String markersTopic;

    @Option(names = "--dead-letter-topic",
            description = "The dead-letter topic (kmq.dead.letter.topic); default <topic>__undelivered.")
    String deadLetterTopic;

    @Option(names = "--partitions", defaultValue = "8",
            description = "Partitions of each new topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replicas of each partition of a new topic (default: ${DEFAULT-VALUE}; 3 on a production "
                    + "cluster).")
    short replicationFactor;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (partitions < 1 || replicationFactor < 1) {
            err.println("error: --partitions and --replication-factor must be >= 1");
            return 2;
        }
        KmqConfig config;
        try {
            config = config();
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, partitions, replicationFactor);
        } catch (KmqException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("topics ready: " + config.topic() + " " + config.markersTopic() + " "
                + config.deadLetterTopic());
        return 0;
    }

    private KmqConfig config() {
        KmqConfig.Builder builder = KmqConfig.builder().bootstrapServers(queue.bootstrapServers).topic(queue.topic)
                .groupId("kmq-topics"); // required by KmqConfig, not used: creating topics joins no group
        if (markersTopic != null) {
            builder.markersTopic(markersTopic);
        }
        if (deadLetterTopic != null) {
            builder.deadLetterTopic(deadLetterTopic);
        }
        return builder.build();
    }
}
