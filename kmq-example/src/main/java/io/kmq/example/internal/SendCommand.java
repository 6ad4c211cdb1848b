package io.kmq.example.internal;

import io.kmq.example.ExampleSender;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmq send}: sends numbered messages to a topic. Exit codes: 0 all sent, 1 the topic is missing, the cluster
 * cannot be reached or a send failed, 2 bad command line (each with a one-line error).
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sends --count messages with unique ids (msg-000000000, ...) to a topic with acks=all.")
public final class SendCommand implements Callable<Integer> {

    /** How long the topic check may wait for the cluster. */
    private static final long CHECK_TIMEOUT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Option(names = "--count", defaultValue = "1000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--first", defaultValue = "0",
            description = "Number of the first message (default: ${DEFAULT-VALUE}).")
    long first;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1 || first < 0) {
            err.println("error: --count must be >= 1 and --first >= 0");
            return 2;
        }
        String problem = topicProblem();
        if (problem != null) {
            err.println("error: " + problem);
            return 1;
        }
        AtomicLong sent = new AtomicLong();
        try (ExampleSender sender = new ExampleSender(queue.bootstrapServers, queue.topic)) {
            sender.send(first, count, id -> sent.incrementAndGet());
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                    + " (sent " + sent.get() + ")");
            return 1;
        }
        spec.commandLine().getOut().println("sent=" + sent.get() + " topic=" + queue.topic);
        return 0;
    }

    /**
     * Why nothing can be sent, or null: a producer would otherwise block for {@code max.block.ms} on every message to
     * a topic that does not exist.
     */
    private String topicProblem() throws InterruptedException {
        Map<String, Object> connection = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queue.bootstrapServers);
        try (Admin admin = Admin.create(connection)) {
            admin.describeTopics(List.of(queue.topic)).allTopicNames().get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return "topic " + queue.topic + " does not exist (create it with: kmq topics --bootstrap-servers "
                        + queue.bootstrapServers + " --topic " + queue.topic + ")";
            }
            return "cannot describe topic " + queue.topic + ": " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "no answer from the cluster at " + queue.bootstrapServers + " within " + CHECK_TIMEOUT_SECONDS
                    + " s";
        }
    }
}
