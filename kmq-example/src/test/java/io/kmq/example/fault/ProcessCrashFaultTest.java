package io.kmq.example.fault;

import static io.kmq.example.fault.FaultSetup.MESSAGES;
import static io.kmq.example.fault.FaultSetup.PATIENCE;
import static io.kmq.example.fault.FaultSetup.createTopics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.example.ExampleSender;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.ProcessRole;
import io.kmq.testkit.TestTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios 1 and 2 of the fault suite: the processor and the tracker, each a separate JVM running its real
 * {@code kmq} command, killed with SIGKILL and restarted; and the tracker stopped cleanly while thousands of messages
 * are in flight.
 */
@Tag("fault")
@KafkaTest
class ProcessCrashFaultTest {

    private final KafkaEnvironment kafka;

    ProcessCrashFaultTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void processorKilledThreeTimesMidBatch(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(kafka, topic, Duration.ofSeconds(3), 3);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, -1);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             ProcessRole processor = KmqRoles.processor(config, dir, ledger::processed)) {
            for (int kill = 1; kill <= 3; kill++) {
                processor.start();
                // it prints each id just before acknowledging it: killed here, it is in the middle of a batch
                processor.killWhen(() -> processor.idsThisRun() >= MESSAGES / 6, PATIENCE);
            }
            processor.start();
            ledger.awaitAccounted(PATIENCE);
            ledger.assertAccounted("processor-sigkill-x3");
        }
    }

    @Test
    void trackerKilledThreeTimesDuringRedelivery(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(kafka, topic, Duration.ofSeconds(2), 10);
        Path stateDir = Files.createDirectory(dir.resolve("tracker-state"));
        AtomicLong redelivered = new AtomicLong();
        try (FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             SelectiveProcessor processor = SelectiveProcessor.start(config, record -> {
                 if (KmqHeaders.redeliveryCount(record.headers()) > 0) {
                     redelivered.incrementAndGet();
                 }
                 return ThreadLocalRandom.current().nextDouble() >= 0.3;   // drop 30 %
             }, ledger::processed);
             ProcessRole tracker = KmqRoles.tracker(config, stateDir, dir)) {
            for (int kill = 1; kill <= 3; kill++) {
                long before = redelivered.get();
                tracker.start().awaitLine(line -> line.startsWith(KmqRoles.TRACKER_STARTED), PATIENCE);
                tracker.killWhen(() -> redelivered.get() >= before + 20, PATIENCE);
            }
            tracker.start();
            ledger.awaitAccounted(PATIENCE);
            System.out.println("FAULT_DETAIL scenario=tracker-sigkill-x3 redelivered_deliveries=" + redelivered.get());
            ledger.assertAccounted("tracker-sigkill-x3");
            ledger.assertDeadLettersExhausted(config, "tracker-sigkill-x3");
        }
    }

    /**
     * The tracker is stopped (SIGTERM) while thousands of messages are in flight and stays down until all their
     * deadlines have passed; they are all acknowledged in time meanwhile. The restarted tracker must redeliver none of
     * them (the clock rule: it acts on a deadline only after reading the markers past it).
     */
    @Test
    void trackerCleanRestartRedeliversNoAcknowledgedMessage(TestTopic topic, @TempDir Path dir) throws Exception {
        Duration timeout = Duration.ofSeconds(8);
        Duration holdEach = Duration.ofSeconds(1);   // far below the timeout: every message is acknowledged in time
        KmqConfig config = createTopics(kafka, topic, timeout, 3);
        Path stateDir = Files.createDirectory(dir.resolve("tracker-state"));
        AtomicLong redelivered = new AtomicLong();
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        try (ProcessRole tracker = KmqRoles.tracker(config, stateDir, dir)) {
            // started before any message is sent, so that the messages are in flight while it runs
            tracker.start().awaitLine(line -> line.startsWith(KmqRoles.TRACKER_STARTED), PATIENCE);
            try (FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
                 SelectiveProcessor processor = SelectiveProcessor.start(config, (record, client) -> {
                     if (KmqHeaders.redeliveryCount(record.headers()) > 0) {
                         redelivered.incrementAndGet();
                     }
                     worker.schedule(() -> {
                         ledger.processed(ExampleSender.idOf(record.value()));
                         client.processed(record);
                     }, holdEach.toMillis(), TimeUnit.MILLISECONDS);
                 })) {
                restartWhileInFlight(config, tracker, processor, ledger, redelivered);
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** Stops the tracker once 1,000 messages are in flight, keeps it down past their deadlines, restarts it. */
    private void restartWhileInFlight(KmqConfig config, ProcessRole tracker, SelectiveProcessor processor,
                                      FaultLedger ledger, AtomicLong redelivered) throws Exception {
        await().atMost(PATIENCE).until(() -> processor.client() != null
                && processor.client().metrics().inFlight() >= 1_000);
        long inFlightAtStop = processor.client().metrics().inFlight();
        int exit = tracker.stop(Duration.ofSeconds(60));
        // a JVM ended by SIGTERM exits with 143 (128 + 15) once its shutdown hooks are done; 137 would be SIGKILL
        assertTrue(exit == 143 || exit == 0, "exit code of a clean stop: " + exit);
        // not waiting for a condition: the tracker stays down until the deadlines of those messages have passed
        Thread.sleep(config.messageTimeout().plusSeconds(1).toMillis());
        TrackerHealth health = TrackerHealth.of(tracker.start()
                .awaitLine(line -> line.startsWith(KmqRoles.TRACKER_STARTED), PATIENCE));
        ledger.awaitAccounted(PATIENCE);
        health.awaitSettled(PATIENCE);   // read every marker, nothing in flight: no redelivery can still come
        long appended = KafkaProbe.endOffsetSum(kafka.bootstrapServers(), config.topic()) - MESSAGES;
        System.out.println("FAULT_DETAIL scenario=tracker-clean-restart in_flight_at_stop=" + inFlightAtStop
                + " redelivered_deliveries=" + redelivered.get() + " records_appended_by_tracker=" + appended);
        ledger.assertAccounted("tracker-clean-restart");
        assertEquals(0, redelivered.get(), "deliveries redelivered although acknowledged in time");
        assertEquals(0, appended, "records the tracker appended to the message topic (redeliveries)");
        assertEquals(0, ledger.duplicates(), "duplicates");
    }
}
