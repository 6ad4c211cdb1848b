package io.kmq.example.internal;

import picocli.CommandLine.Option;

/** The options every standalone command shares: which cluster, and which kmq message topic on it. */
public final class QueueOptions {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--topic", required = true,
            description = "The message topic (create a queue's topics with 'kmq topics').")
    String topic;
}
