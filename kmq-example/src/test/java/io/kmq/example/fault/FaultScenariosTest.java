package io.kmq.example.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqAdmin;
import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.example.ExampleProcessor;
import io.kmq.example.ExampleSender;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.testkit.JavaProcess;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenarios of the fault-suite issue: each sends {@link #MESSAGES} messages with unique ids, runs the roles,
 * injects a fault and accounts for every id at the end (processed at least once, or dead-lettered), printing one
 * {@code FAULT ...} line.
 *
 * <p>{@link #MESSAGES} is 2,000, not the 20,000: kmq processes a few hundred messages a second on the 2-core
 * build machine while the tracker and broker share it, so 20,000 per scenario would take the class far beyond the
 * ~3 minutes it may take in {@code mvn verify}.
 */
@Tag("fault")
@KafkaTest
class FaultScenariosTest {

    private static final int MESSAGES = 2_000;
    private static final int PARTITIONS = 4;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final KafkaEnvironment kafka;

    FaultScenariosTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void processorKilledThreeTimes(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(topic, Duration.ofSeconds(3), 3);
        // a killed member must leave the group soon, or its successor waits 45 s for its partitions
        Path clientConfig = dir.resolve("processor.properties");
        Files.writeString(clientConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        try (RedeliveryTracker tracker = startTracker(config, dir);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES)) {
            for (int kill = 1; kill <= 3; kill++) {
                AtomicLong printed = new AtomicLong();
                try (JavaProcess processor = startProcessor(config, clientConfig, dir, kill, id -> {
                    printed.incrementAndGet();
                    ledger.processed(id);
                })) {
                    killOnceProgressed(processor, () -> printed.get() >= MESSAGES / 6, dir);
                }
            }
            try (JavaProcess processor = startProcessor(config, clientConfig, dir, 4, ledger::processed)) {
                ledger.awaitAccounted(PATIENCE);
            }
            assertNothingLost(ledger, "processor-sigkill-x3");
        }
    }

    @Test
    void halfOfAllDeliveriesDropped(TestTopic topic, @TempDir Path dir) throws Exception {
        // enough redeliveries that a message is dead-lettered only with probability 0.5^21
        KmqConfig config = createTopics(topic, Duration.ofSeconds(2), 20);
        try (RedeliveryTracker tracker = startTracker(config, dir);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             ExampleProcessor processor = new ExampleProcessor(config, 0.5, ledger::processed)) {
            Thread processing = daemon("fault-processor", processor);
            ledger.awaitAccounted(PATIENCE);
            processor.close();
            processing.join(30_000);
            long deliveries = MESSAGES + tracker.metrics().redeliveries();
            System.out.printf(Locale.ROOT, "FAULT_DETAIL scenario=drop-50pct deliveries=%d "
                    + "deliveries_per_message=%.2f%n", deliveries, deliveries / (double) MESSAGES);
            assertNothingLost(ledger, "drop-50pct");
        }
    }

    @Test
    void poisonMessageEndsInTheDeadLetterTopic(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(topic, Duration.ofSeconds(2), 3);
        String poison = ExampleSender.messageId(MESSAGES / 2);
        try (RedeliveryTracker tracker = startTracker(config, dir);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES)) {
            AtomicLong poisonDeliveries = new AtomicLong();
            try (SelectiveProcessor processor = SelectiveProcessor.start(config, record -> {
                boolean isPoison = poison.equals(ExampleSender.idOf(record.value()));
                if (isPoison) {
                    poisonDeliveries.incrementAndGet();
                }
                return !isPoison;
            }, ledger::processed)) {
                ledger.awaitAccounted(PATIENCE);
            }
            ledger.report("poison-message");
            assertEquals(0, ledger.lost(), "lost");
            assertEquals(MESSAGES - 1, ledger.processedCount(), "every other message processed");
            assertEquals(1, ledger.deadLettered(), "only the poison message dead-lettered");
            ConsumerRecord<byte[], byte[]> deadLetter = ledger.deadLetters().get(0);
            assertEquals(poison, ExampleSender.idOf(deadLetter.value()));
            assertEquals("timeout", new String(deadLetter.headers().lastHeader(KmqHeaders.DLQ_REASON).value(),
                    StandardCharsets.UTF_8));
            assertEquals(3, KmqHeaders.redeliveryCount(deadLetter.headers()));
            // the first delivery and 3 redeliveries; a re-poll after a rebalance could add one more
            assertTrue(poisonDeliveries.get() >= 4, "poison deliveries: " + poisonDeliveries.get());
        }
    }

    @Test
    void trackerKilledThreeTimesDuringRedelivery(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(topic, Duration.ofSeconds(2), 10);
        Path stateDir = Files.createDirectory(dir.resolve("tracker-state"));
        AtomicLong redelivered = new AtomicLong();
        try (FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             SelectiveProcessor processor = SelectiveProcessor.start(config, record -> {
                 if (KmqHeaders.redeliveryCount(record.headers()) > 0) {
                     redelivered.incrementAndGet();
                 }
                 return ThreadLocalRandom.current().nextDouble() >= 0.3;   // drop 30 %
             }, ledger::processed)) {
            for (int kill = 1; kill <= 3; kill++) {
                long before = redelivered.get();
                try (JavaProcess tracker = startTrackerProcess(config, stateDir, dir, kill)) {
                    tracker.awaitLine(TrackerProcess.STARTED::equals, PATIENCE);
                    killOnceProgressed(tracker, () -> redelivered.get() >= before + 20, dir);
                }
            }
            try (JavaProcess tracker = startTrackerProcess(config, stateDir, dir, 4)) {
                ledger.awaitAccounted(PATIENCE);
            }
            assertNothingLost(ledger, "tracker-sigkill-x3");
        }
    }

    @Test
    void garbageInTheMarkersTopicIsSkipped(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(topic, Duration.ofSeconds(2), 10);
        try (RedeliveryTracker tracker = startTracker(config, dir);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             ExampleProcessor processor = new ExampleProcessor(config, 0.3, ledger::processed)) {
            Thread processing = daemon("fault-processor", processor);
            await().atMost(PATIENCE).until(() -> ledger.processedCount() >= MESSAGES / 4);
            writeGarbage(config.markersTopic());
            ledger.awaitAccounted(PATIENCE);
            await().atMost(PATIENCE).until(() -> tracker.metrics().skippedMarkers() > 0);
            processor.close();
            processing.join(30_000);
            System.out.println("FAULT_DETAIL scenario=markers-garbage skipped_markers="
                    + tracker.metrics().skippedMarkers());
            assertNothingLost(ledger, "markers-garbage");
        }
    }

    /** 1 MiB of random records: 16-byte keys (a marker key has 12, so none can name a real message), 1 KiB values. */
    private void writeGarbage(String markersTopic) {
        Random random = new Random();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 1024; i++) {
                byte[] key = new byte[16];
                byte[] value = new byte[1024];
                random.nextBytes(key);
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(markersTopic, key, value));
            }
            producer.flush();
        }
    }

    private KmqConfig createTopics(TestTopic topic, Duration timeout, int maxRedeliveries) {
        KmqConfig config = KmqConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic.name())
                .groupId(topic.derived("processors"))
                .messageTimeout(timeout)
                .maxRedeliveries(maxRedeliveries)
                .build();
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, PARTITIONS, (short) 1);
        }
        return config;
    }

    private static RedeliveryTracker startTracker(KmqConfig config, Path dir) throws IOException {
        Path stateDir = Files.createDirectories(dir.resolve("tracker-state"));
        return RedeliveryTracker.start(TrackerSettings.builder().stateDir(stateDir).build(), config);
    }

    private JavaProcess startProcessor(KmqConfig config, Path clientConfig, Path dir, int run,
                                       Consumer<String> onProcessed) {
        return JavaProcess.start("processor-" + run, List.of("-Xmx256m"), "io.kmq.example.KmqCommand",
                List.of("process", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", config.topic(),
                        "--group", config.groupId(), "--message-timeout", config.messageTimeout().toMillis() + "ms",
                        "--config", clientConfig.toString()),
                line -> {
                    if (line.startsWith("processed ")) {
                        onProcessed.accept(line.substring("processed ".length()));
                    }
                },
                dir.resolve("processor-" + run + ".err"));
    }

    private JavaProcess startTrackerProcess(KmqConfig config, Path stateDir, Path dir, int run) {
        return JavaProcess.start("tracker-" + run, List.of("-Xmx256m"), TrackerProcess.class.getName(),
                List.of(kafka.bootstrapServers(), config.topic(), config.groupId(), stateDir.toString(),
                        Integer.toString(config.maxRedeliveries())),
                null, dir.resolve("tracker-" + run + ".err"));
    }

    /** Waits until the child has made {@code progress} (failing if it exits first), then kills it with SIGKILL. */
    private static void killOnceProgressed(JavaProcess child, BooleanSupplier progress, Path dir) {
        await().atMost(PATIENCE).until(() -> progress.getAsBoolean() || !child.isAlive());
        assertTrue(child.isAlive(), "child process " + child.pid() + " exited early; see its stderr in " + dir);
        child.kill();
    }

    private static void assertNothingLost(FaultLedger ledger, String scenario) {
        String line = ledger.report(scenario);
        assertEquals(0, ledger.lost(), line);
        assertEquals(MESSAGES, ledger.processedCount() + ledger.deadLettered(), line);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
