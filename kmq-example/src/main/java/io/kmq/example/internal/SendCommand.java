package io.kmq.example.internal;

import io.kmq.example.ExampleSender;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kmq send}: sends numbered messages to a topic. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sends --count messages with unique ids (msg-000000000, ...) to a topic with acks=all.")
public final class SendCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--topic", required = true, description = "The message topic.")
    String topic;

    @Option(names = "--count", defaultValue = "1000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--first", defaultValue = "0", description = "Number of the first message (default: ${DEFAULT-VALUE}).")
    long first;

    @Override
    public Integer call() {
        if (count < 1 || first < 0) {
            System.err.println("error: --count must be >= 1 and --first >= 0");
            return 2;
        }
        AtomicLong sent = new AtomicLong();
        try (ExampleSender sender = new ExampleSender(bootstrapServers, topic)) {
            sender.send(first, count, id -> sent.incrementAndGet());
        }
        System.out.println("sent=" + sent.get() + " topic=" + topic);
        return 0;
    }
}
