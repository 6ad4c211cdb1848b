package io.kmq.example;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.example.internal.DeadLetterWatcher;
import io.kmq.example.internal.DemoLedger;
import io.kmq.example.internal.ProgressLine;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.testkit.KafkaCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.utils.Utils;

/**
 * The end-to-end demo: an in-process broker, the redelivery tracker, a sender and a processor that drops a fraction
 * of messages. It runs until every message is processed or dead-lettered (or its patience runs out) and accounts for
 * every message by its unique id.
 */
public final class Demo {

    private static final String TOPIC = "demo";

    private final DemoOptions options;
    private final PrintStream progressOut;

    /** A demo with these options, showing progress on {@code progressOut}. */
    public Demo(DemoOptions options, PrintStream progressOut) {
        this.options = options;
        this.progressOut = progressOut;
    }

    /** Runs the demo and returns its accounting; every component is stopped when it returns. */
    public DemoResult run() {
        try (KafkaCluster kafka = KafkaCluster.start(1)) {
            KmqConfig config = KmqConfig.builder()
                    .bootstrapServers(kafka.bootstrapServers())
                    .topic(TOPIC)
                    .groupId("demo-processors")
                    .messageTimeout(options.timeout())
                    .maxRedeliveries(options.maxRedeliveries())
                    .build();
            try (KmqAdmin admin = KmqAdmin.create(config)) {
                admin.createTopics(config, options.partitions(), (short) 1);
            }
            return runAgainst(config);
        }
    }

    private DemoResult runAgainst(KmqConfig config) {
        DemoLedger ledger = new DemoLedger();
        Path stateDir = temporaryDirectory();
        List<Thread> threads = new ArrayList<>();
        TrackerSettings settings = TrackerSettings.builder().stateDir(stateDir).build();
        String bootstrap = config.kafkaProperties().get("bootstrap.servers").toString();
        try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config);
             ExampleProcessor processor = new ExampleProcessor(config, options.dropRate(), ledger::processed);
             DeadLetterWatcher deadLetters = new DeadLetterWatcher(bootstrap, config.deadLetterTopic(),
                     record -> ledger.deadLettered(ExampleSender.idOf(record.value())));
             ExampleSender sender = new ExampleSender(bootstrap, config.topic())) {
            threads.add(start("kmq-demo-processor", processor));
            threads.add(start("kmq-demo-dead-letters", deadLetters));
            long started = System.nanoTime();
            ProgressLine progress = new ProgressLine(progressOut);
            Thread sending = start("kmq-demo-sender", () -> sender.send(0, options.messages(), ledger::sent));
            long deadline = started + options.patience().toNanos();
            long lastShown = 0;
            while (System.nanoTime() < deadline) {
                boolean done = !sending.isAlive() && ledger.outstanding() == 0;
                if (done || System.nanoTime() - lastShown >= 1_000_000_000L) {
                    lastShown = System.nanoTime();
                    progress.show(progressText(ledger, tracker, started));
                }
                if (done) {
                    break;
                }
                sleep(50);
            }
            progress.finish();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            return new DemoResult(ledger.sentCount(), ledger.processedCount(), options.messages() - ledger.processedCount()
                    - ledger.deadLetteredCount(), ledger.duplicates(), tracker.metrics().redeliveries(),
                    ledger.deadLetteredCount(), elapsed);
        } finally {
            threads.forEach(Demo::join);
            deleteQuietly(stateDir);
        }
    }

    private String progressText(DemoLedger ledger, RedeliveryTracker tracker, long started) {
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        return String.format(Locale.ROOT, "sent=%d processed=%d in_flight=%d redelivered=%d dead_lettered=%d "
                        + "rate=%.0f msg/s", ledger.sentCount(), ledger.processedCount(), ledger.outstanding(),
                tracker.metrics().redeliveries(), ledger.deadLetteredCount(), ledger.processedCount() / seconds);
    }

    private static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            System.err.println("warning: could not delete " + directory + ": " + e.getMessage());
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("kmq-demo-tracker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tracker's state directory", e);
        }
    }
}
