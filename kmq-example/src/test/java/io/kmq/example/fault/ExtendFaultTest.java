package io.kmq.example.fault;

import static io.kmq.example.fault.FaultSetup.MESSAGES;
import static io.kmq.example.fault.FaultSetup.PATIENCE;
import static io.kmq.example.fault.FaultSetup.createTopics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.example.ExampleSender;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8 of the fault suite: slow processing with {@link KmqClient#extend}. A few messages need 3x the message
 * timeout; while they are being extended they are not redelivered. A control message just as slow but never extended
 * is redelivered, which shows that the timeout is short enough to matter.
 */
@Tag("fault")
@KafkaTest
class ExtendFaultTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SLOW = TIMEOUT.multipliedBy(3);
    /** Each extension gives a full timeout from now and comes every quarter timeout: a late one is harmless. */
    private static final Duration EXTEND_EVERY = TIMEOUT.dividedBy(4);

    private final KafkaEnvironment kafka;

    ExtendFaultTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void slowMessageBeingExtendedIsNotRedelivered(TestTopic topic, @TempDir Path dir) throws Exception {
        KmqConfig config = createTopics(kafka, topic, TIMEOUT, 3);
        Map<String, AtomicInteger> slow = IntStream.rangeClosed(1, 4)
                .mapToObj(k -> ExampleSender.messageId((long) MESSAGES * k / 5)).collect(Collectors.toMap(
                        id -> id, id -> new AtomicInteger()));
        String control = ExampleSender.messageId(MESSAGES / 2 + 1);
        AtomicInteger controlDeliveries = new AtomicInteger();
        CompletableFuture<ScheduledFuture<?>> controlFirstDelivery = new CompletableFuture<>();
        ScheduledExecutorService worker = Executors.newScheduledThreadPool(2);
        try (RedeliveryTracker tracker = KmqRoles.inProcessTracker(config, dir, -1);
             FaultLedger ledger = FaultLedger.start(kafka.bootstrapServers(), config, MESSAGES);
             SelectiveProcessor processor = SelectiveProcessor.start(config, (record, client) -> {
                 String id = ExampleSender.idOf(record.value());
                 if (slow.containsKey(id)) {
                     slow.get(id).incrementAndGet();
                     processSlowly(record, client, worker, true, ledger);
                 } else if (id.equals(control) && controlDeliveries.incrementAndGet() == 1) {
                     controlFirstDelivery.complete(processSlowly(record, client, worker, false, ledger));
                 } else {
                     ledger.processed(id);
                     client.processed(record);
                 }
             })) {
            ledger.awaitAccounted(PATIENCE);
            // its redelivery was acknowledged at once; its first delivery is acknowledged late, as a duplicate
            controlFirstDelivery.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get();
            ledger.assertAccounted("slow-with-extend");
            slow.forEach((id, deliveries) -> assertEquals(1, deliveries.get(),
                    "deliveries of " + id + ", which took " + SLOW + " and was extended every " + EXTEND_EVERY));
            System.out.println("FAULT_DETAIL scenario=slow-with-extend slow_deliveries=" + slow.values()
                    + " control_deliveries=" + controlDeliveries.get());
            assertTrue(controlDeliveries.get() >= 2, "the control message, as slow but not extended, is redelivered: "
                    + controlDeliveries.get() + " deliveries");
        } finally {
            worker.shutdownNow();
        }
    }

    /**
     * Takes {@link #SLOW} to process {@code record}, extending it by a full timeout every {@link #EXTEND_EVERY} if
     * {@code extend}, then acknowledges it.
     *
     * @return the acknowledgment, done once it is sent
     */
    private static ScheduledFuture<?> processSlowly(ConsumerRecord<byte[], byte[]> record, KmqClient<byte[], byte[]> client,
                                      ScheduledExecutorService worker, boolean extend, FaultLedger ledger) {
        ScheduledFuture<?> extending = extend
                ? worker.scheduleAtFixedRate(() -> client.extend(record, TIMEOUT), EXTEND_EVERY.toMillis(),
                        EXTEND_EVERY.toMillis(), TimeUnit.MILLISECONDS)
                : null;
        return worker.schedule(() -> {
            if (extending != null) {
                extending.cancel(false);
            }
            ledger.processed(ExampleSender.idOf(record.value()));
            client.processed(record);
        }, SLOW.toMillis(), TimeUnit.MILLISECONDS);
    }
}
