package io.kmq.example.internal;

import io.kmq.KmqConfig;
import io.kmq.KmqException;
import io.kmq.example.ExampleProcessor;
import io.kmq.internal.DurationConverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmq process}: a kmq processor that prints each acknowledged id. Exit codes: 0 stopped, 1 a topic is missing
 * or invalid, 2 bad command line or configuration (both with a one-line error, before anything is consumed).
 */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Consumes a topic through KmqClient, acknowledges each message (printing 'processed <id>') and "
                + "drops the given fraction without acknowledging, until Ctrl-C.")
public final class ProcessCommand implements Callable<Integer> {

    @Mixin
    QueueOptions queue;

    @Option(names = "--group", required = true, description = "The consumer group of the processors.")
    String group;

    @Option(names = "--drop", defaultValue = "0", description = "Fraction of messages never acknowledged, 0 to 1 "
            + "(default: ${DEFAULT-VALUE}).")
    double drop;

    @Option(names = "--message-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time before an unacknowledged message is redelivered (default: ${DEFAULT-VALUE}).")
    Duration messageTimeout;

    @Option(names = "--config", description = "A properties file of kmq.* settings and Kafka client properties.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        KmqConfig kmqConfig;
        try {
            kmqConfig = buildConfig();
        } catch (ConfigException | IOException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        AtomicLong processed = new AtomicLong();
        ExampleProcessor processor;
        try {
            processor = new ExampleProcessor(kmqConfig, drop, id -> {
                processed.incrementAndGet();
                System.out.println("processed " + id);
            });
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (KmqException e) {
            // a missing or mis-partitioned topic: one line, before anything is consumed
            System.err.println("error: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                processor.run();
            } finally {
                stopped.countDown();
            }
        }, "kmq-processor");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processor.close();
            awaitQuietly(stopped);
        }, "kmq-processor-shutdown"));
        worker.start();
        stopped.await();
        return 0;
    }

    private KmqConfig buildConfig() throws IOException {
        KmqConfig.Builder builder = KmqConfig.builder();
        if (config != null) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                properties.load(in);
            }
            properties.stringPropertyNames().forEach(name -> builder.set(name, properties.getProperty(name)));
        }
        return builder.bootstrapServers(queue.bootstrapServers).topic(queue.topic).groupId(group)
                .messageTimeout(messageTimeout)
                .build();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
