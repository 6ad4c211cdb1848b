package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kmq.start.await=commit against a MockConsumer and a MockProducer that completes sends only when the test says:
 * records are handed out at once, and their offsets are committed only once their START markers are acknowledged.
 */
class KmqClientAtOnceMockTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration PATIENCE = ManualMocks.PATIENCE;

    private final ManualMocks.RecordingConsumer consumer = new ManualMocks.RecordingConsumer();
    private final Map<TopicPartition, List<Long>> commits = consumer.commits;
    private final MockClients clients = new MockClients(consumer, false);
    private final MockProducer<byte[], byte[]> producer = clients.producer;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private KmqClient<String, String> client;

    private KmqClient<String, String> client() {
        KmqConfig config = KmqConfig.builder().topic(TOPIC).groupId("g").bootstrapServers("localhost:1")
                .messageTimeout(Duration.ofSeconds(10)).commitInterval(Duration.ZERO).startCoalesce(false).build();
        client = new KmqClient<>(config, new StringDeserializer(), new StringDeserializer(), clients, clock, false);
        ManualMocks.assign(consumer, P0, P1);
        return client;
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            ManualMocks.closeCompleting(client, producer); // close awaits the START markers of the records handed out
        }
    }

    private void completeAll() {
        ManualMocks.completeAll(producer);
    }

    private void addRecords(TopicPartition partition, long fromOffset, int count) {
        ManualMocks.addRecords(consumer, partition, fromOffset, count);
    }

    private static List<Long> offsets(List<ConsumerRecord<String, String>> records) {
        return ManualMocks.offsets(records);
    }

    @Test
    void recordsAreHandedOutAtOnceAndCommittedOnlyOnceTheirStartIsAcknowledged() {
        KmqClient<String, String> client = client();
        addRecords(P0, 0, 8);

        assertEquals(List.of(0L, 1L, 2L, 3L), offsets(client.nextBatch(Duration.ZERO)), "no START acknowledged yet");
        assertEquals(List.of(new Marker.StartRange(Duration.ofSeconds(10), 4)),
                producer.history().stream().map(r -> MarkerCodec.decodeValue(r.value())).toList());
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(client.nextBatch(Duration.ZERO)));
        assertNull(commits.get(P0), "nothing committed while the START markers are in flight");
        assertEquals(0, client.metrics().started());

        producer.completeNext(); // the first batch's START
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty());
        assertEquals(List.of(4L), commits.get(P0), "committed up to the batch whose START is durable, not past it");
        assertEquals(4, client.metrics().started());

        producer.completeNext();
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty());
        assertEquals(List.of(4L, 8L), commits.get(P0));
        assertEquals(8, client.metrics().inFlight(), "handed out, not acknowledged");
    }

    @Test
    void aCallWaitingForRecordsCommitsAsSoonAsTheStartsAreAcknowledged() throws Exception {
        KmqClient<String, String> client = client();
        addRecords(P0, 0, 4);
        assertEquals(4, client.nextBatch(Duration.ZERO).size());

        CompletableFuture<List<ConsumerRecord<String, String>>> waiting =
                CompletableFuture.supplyAsync(() -> client.nextBatch(Duration.ofSeconds(20)));
        producer.completeNext();
        Awaitility.await().atMost(PATIENCE).until(() -> List.of(4L).equals(commits.get(P0)));
        assertFalse(waiting.isDone(), () -> "committed by the call still waiting for records, not by the next one: "
                + waiting.handle((r, e) -> r + " " + e).join());
        addRecords(P0, 4, 1);
        assertEquals(List.of(4L), offsets(waiting.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)));
    }

    @Test
    void atMostMaxInFlightRecordsAreHandedOutWhetherOrNotTheirStartsAreAcknowledged() {
        KmqConfig config = KmqConfig.builder().topic(TOPIC).groupId("g").bootstrapServers("localhost:1")
                .maxInFlight(6).commitInterval(Duration.ZERO).startCoalesce(false).build();
        client = new KmqClient<>(config, new StringDeserializer(), new StringDeserializer(), clients, clock, false);
        ManualMocks.assign(consumer, P0, P1);
        addRecords(P0, 0, 12);

        assertEquals(4, client.nextBatch(Duration.ZERO).size());
        List<ConsumerRecord<String, String>> second = client.nextBatch(Duration.ZERO);
        assertEquals(List.of(4L, 5L), offsets(second), "only the room left");
        assertEquals(6, consumer.position(P0), "the rest sought back");
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty(), "at the limit");
        client.processed(second.get(0));
        assertEquals(1, client.nextBatch(Duration.ZERO).size(), "room for one");
    }

    @Test
    void aFailedStartMakesTheNextCallThrowAndTheRecordsFromItOnBeDeliveredAgain() {
        KmqClient<String, String> client = client();
        addRecords(P0, 0, 12);
        client.nextBatch(Duration.ZERO);
        client.nextBatch(Duration.ZERO);
        client.nextBatch(Duration.ZERO);
        producer.completeNext(); // 0..3 durable
        producer.errorNext(new TimeoutException("injected")); // 4..7 failed
        producer.completeNext(); // 8..11 durable, but behind the failed one

        KmqException failure = assertThrows(KmqException.class, () -> client.nextBatch(Duration.ZERO));
        assertEquals(4, failure.offset(), failure.getMessage());
        assertEquals(List.of(4L), commits.get(P0), "committed up to the failed START, not past it");
        assertEquals(4, consumer.position(P0), "sought back to the failed batch");
        addRecords(P0, 4, 8); // a MockConsumer returns a record once: what the broker would return after the seek
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(client.nextBatch(Duration.ZERO)), "delivered again");
    }

    @Test
    void revocationWaitsForTheStartsOfHandedOutRecordsAndCommitsThem() throws Exception {
        KmqClient<String, String> client = client();
        addRecords(P0, 0, 4);
        addRecords(P1, 0, 4);
        consumer.setMaxPollRecords(8);
        assertEquals(8, client.nextBatch(Duration.ZERO).size());

        CompletableFuture<Void> rebalance = CompletableFuture.runAsync(() -> consumer.rebalance(List.of(P1)));
        Awaitility.await().atMost(PATIENCE).until(() -> {
            completeAll(); // the revocation awaits the START markers
            return rebalance.isDone();
        });
        rebalance.get();
        assertEquals(List.of(4L), commits.get(P0), "the revoked partition committed synchronously, STARTs durable");
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty());
        assertEquals(List.of(4L), commits.get(P1), "the kept partition committed by the next call");
    }

    @Test
    void closeWaitsForTheStartsOfHandedOutRecordsAndCommitsThem() throws Exception {
        KmqClient<String, String> client = client();
        addRecords(P0, 0, 4);
        assertEquals(4, client.nextBatch(Duration.ZERO).size());
        this.client = null; // closed here
        ManualMocks.closeCompleting(client, producer);
        assertEquals(List.of(4L), commits.get(P0), "committed by the close, once the START was acknowledged");
    }
}
