package io.kmq.example.fault;

import static io.kmq.example.fault.FaultLedger.header;
import static io.kmq.example.fault.FaultSetup.MESSAGES;
import static io.kmq.example.fault.FaultSetup.PATIENCE;
import static io.kmq.example.fault.FaultSetup.createTopics;
import static io.kmq.example.fault.FaultSetup.daemon;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.example.ExampleProcessor;
import io.kmq.example.ExampleSender;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios 4, 5 and 6 of the fault suite, where the fault is in what is delivered, not in a process: half of all
 * deliveries dropped, a poison message, and random bytes on the markers topic. Processor and tracker run in the test
 * JVM (no kill is meant).
 */
@Tag("fault")
@KafkaTest
class DeliveryFaultTest {

    /** 1 MiB of garbage: this many records of 1 KiB. */
    private static final int GARBAGE_RECORDS = 1024;

    private final KafkaEnvironment kafka;

    DeliveryFaultTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void halfOfAllDeliveriesDropped(TestTopic topic, @TempDir Path dir) throws Exception {
        // enough redeliveries that a message is dead-lettered only with probability 0.5^21
        KmqConfig config = createTopics(kafka, topic, Duration.ofSeconds(2), 20);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, -1);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             ExampleProcessor processor = new ExampleProcessor(config, 0.5, ledger::processed)) {
            Thread processing = daemon("fault-processor", processor);
            ledger.awaitAccounted(PATIENCE);
            processor.close();
            processing.join(30_000);
            long deliveries = MESSAGES + tracker.metrics().redeliveries();
            System.out.printf(Locale.ROOT, "FAULT_DETAIL scenario=drop-50pct deliveries=%d "
                    + "deliveries_per_message=%.2f%n", deliveries, deliveries / (double) MESSAGES);
            ledger.assertAccounted("drop-50pct");
            ledger.assertDeadLettersExhausted(config, "drop-50pct");
            // each delivery is dropped with probability 1/2, so a message takes 2 deliveries on average
            assertTrue(deliveries > 1.8 * MESSAGES && deliveries < 2.2 * MESSAGES, "deliveries: " + deliveries);
        }
    }

    @Test
    void poisonMessageEndsInTheDeadLetterTopic(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(kafka, topic, Duration.ofSeconds(2), 3);
        String poison = ExampleSender.messageId(MESSAGES / 2);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, -1);
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
            ledger.assertAccounted("poison-message");
            assertEquals(MESSAGES - 1, ledger.processedCount(), "every other message processed");
            assertEquals(1, ledger.deadLettered(), "only the poison message dead-lettered");
            ConsumerRecord<byte[], byte[]> deadLetter = ledger.deadLetters().get(0);
            assertEquals(poison, ExampleSender.idOf(deadLetter.value()));
            assertEquals("timeout", header(deadLetter, KmqHeaders.DLQ_REASON));
            assertEquals(config.topic(), header(deadLetter, KmqHeaders.ORIGINAL_TOPIC));
            assertEquals(3, KmqHeaders.redeliveryCount(deadLetter.headers()));
            // the first delivery and 3 redeliveries; a re-poll after a rebalance could add one more
            assertTrue(poisonDeliveries.get() >= 4, "poison deliveries: " + poisonDeliveries.get());
        }
    }

    @Test
    void garbageInTheMarkersTopicIsSkipped(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(kafka, topic, Duration.ofSeconds(2), 10);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, -1);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             ExampleProcessor processor = new ExampleProcessor(config, 0.3, ledger::processed)) {
            Thread processing = daemon("fault-processor", processor);
            await().atMost(PATIENCE).until(() -> ledger.processedCount() >= MESSAGES / 4);
            writeGarbage(config.markersTopic());
            ledger.awaitAccounted(PATIENCE);
            await().atMost(PATIENCE).until(() -> tracker.metrics().skippedMarkers() >= GARBAGE_RECORDS);
            processor.close();
            processing.join(30_000);
            System.out.println("FAULT_DETAIL scenario=markers-garbage skipped_markers="
                    + tracker.metrics().skippedMarkers());
            ledger.assertAccounted("markers-garbage");
            ledger.assertDeadLettersExhausted(config, "markers-garbage");
            assertEquals(GARBAGE_RECORDS, tracker.metrics().skippedMarkers(), "every garbage record counted once");
        }
    }

    /** Random records: 16-byte keys (a marker key has 12, so none can name a real message), 1 KiB values. */
    private void writeGarbage(String markersTopic) {
        Random random = new Random();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < GARBAGE_RECORDS; i++) {
                byte[] key = new byte[16];
                byte[] value = new byte[1024];
                random.nextBytes(key);
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(markersTopic, key, value));
            }
            producer.flush();
        }
    }
}
