package io.kmq.example.internal;

import io.kmq.example.Demo;
import io.kmq.example.DemoOptions;
import io.kmq.example.DemoResult;
import io.kmq.internal.DurationConverter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kmq demo}: selective acknowledgment end to end on an in-process broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts an in-process Kafka broker, the redelivery tracker, a sender and a processor that drops "
                + "a fraction of messages, and runs until every message is processed or dead-lettered.",
                "The last line is RESULT sent=.. processed=.. lost=.. duplicates=.. redelivered=.. dead_lettered=.. "
                        + "elapsed_ms=..; the exit code is 0 only when lost=0."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "10000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--drop", defaultValue = "0.3",
            description = "Fraction of deliveries the processor never acknowledges, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double drop;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "Message timeout before redelivery, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--max-redeliveries", defaultValue = "3",
            description = "Redeliveries before a message goes to the dead-letter topic (default: ${DEFAULT-VALUE}).")
    int maxRedeliveries;

    @Override
    public Integer call() {
        DemoOptions options;
        try {
            options = new DemoOptions(messages, drop, timeout, partitions, maxRedeliveries);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        System.err.println("kmq demo: " + messages + " messages, " + Math.round(drop * 100) + " % dropped, timeout "
                + io.kmq.internal.Durations.format(timeout) + ", " + partitions + " partitions, max "
                + maxRedeliveries + " redeliveries");
        DemoResult result = new Demo(options, System.err).run();
        System.out.println(result.line());
        return result.lost() == 0 ? 0 : 1;
    }
}
