package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KmqClient's poll-loop logic against a MockConsumer and MockProducer: no broker, deterministic. */
class KmqClientMockTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration NO_WAIT = Duration.ZERO;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final MockClients clients = new MockClients(new CommitFailingConsumer());
    private KmqClient<String, String> client;

    private KmqClient<String, String> client(int maxInFlight) {
        KmqConfig config = KmqConfig.builder().topic(TOPIC).groupId("g").bootstrapServers("localhost:1")
                .maxInFlight(maxInFlight).messageTimeout(Duration.ofSeconds(10)).markerRanges(false)
                .commitInterval(Duration.ZERO).awaitStartBeforeHandout(true).build();
        client = new KmqClient<>(config, new StringDeserializer(), new StringDeserializer(), clients, clock, false);
        clients.consumer.rebalance(List.of(P0, P1));
        clients.consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        return client;
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private void addRecords(TopicPartition partition, long fromOffset, int count) {
        for (long offset = fromOffset; offset < fromOffset + count; offset++) {
            clients.consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, "k" + offset,
                    "v" + offset));
        }
    }

    private List<ProducerRecord<byte[], byte[]>> sentMarkers() {
        return clients.producer.history();
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return clients.consumer.committed(Set.of(P0, P1));
    }

    @Test
    void batchWritesOneStartPerRecordToTheSamePartitionThenCommits() {
        KmqClient<String, String> client = client(100);
        addRecords(P0, 0, 2);
        addRecords(P1, 0, 3);
        List<ConsumerRecord<String, String>> batch = client.nextBatch(NO_WAIT);
        assertEquals(5, batch.size());
        assertEquals(5, sentMarkers().size());
        for (ProducerRecord<byte[], byte[]> marker : sentMarkers()) {
            assertEquals(TOPIC + "__markers", marker.topic());
            MarkerKey key = MarkerCodec.decodeKey(marker.key());
            assertEquals(key.partition(), marker.partition());
            assertEquals(new Marker.Start(Duration.ofSeconds(10)), MarkerCodec.decodeValue(marker.value()));
        }
        assertEquals(2, committed().get(P0).offset());
        assertEquals(3, committed().get(P1).offset());
        assertEquals(5, client.metrics().inFlight());
        assertThrows(UnsupportedOperationException.class, () -> batch.remove(0));
    }

    @Test
    void batchTakesOnlyTheRoomLeftAndSeeksTheRestBack() {
        KmqClient<String, String> client = client(5);
        addRecords(P0, 0, 4);
        addRecords(P1, 0, 4);
        List<ConsumerRecord<String, String>> batch = client.nextBatch(NO_WAIT);
        assertEquals(5, batch.size());
        assertEquals(5, client.metrics().inFlight());
        for (TopicPartition partition : List.of(P0, P1)) {
            long taken = batch.stream().filter(r -> r.partition() == partition.partition()).count();
            assertEquals(taken, clients.consumer.position(partition), "position of " + partition);
            long committed = committed().get(partition) == null ? 0 : committed().get(partition).offset();
            assertEquals(taken, committed, "committed offset of " + partition);
        }
    }

    @Test
    void atTheLimitItPausesReturnsNothingAndResumesOnceThereIsRoom() {
        KmqClient<String, String> client = client(3);
        addRecords(P0, 0, 3);
        List<ConsumerRecord<String, String>> batch = client.nextBatch(NO_WAIT);
        assertEquals(3, batch.size());
        addRecords(P0, 3, 3);
        assertEquals(List.of(), client.nextBatch(Duration.ofMillis(5)));
        assertEquals(Set.of(P0, P1), clients.consumer.paused());
        assertEquals(3, clients.consumer.position(P0), "nothing was consumed while paused");

        client.processed(batch.get(0));
        assertEquals(Set.of(P0, P1), clients.consumer.paused(), "resumed by the next nextBatch, not by the ack");
        List<ConsumerRecord<String, String>> next = client.nextBatch(NO_WAIT);
        assertEquals(Set.of(), clients.consumer.paused());
        assertEquals(1, next.size());
        assertEquals(3, next.get(0).offset());
        assertEquals(3, client.metrics().inFlight());
    }

    @Test
    void recordsNeverAcknowledgedStopCountingOnceTheirTimeoutPasses() {
        KmqClient<String, String> client = client(2);
        addRecords(P0, 0, 2);
        List<ConsumerRecord<String, String>> held = client.nextBatch(NO_WAIT);
        assertEquals(2, held.size());
        addRecords(P0, 2, 2);
        assertTrue(client.nextBatch(NO_WAIT).isEmpty(), "at the limit before the timeout");
        client.extend(held.get(1), Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, client.nextBatch(NO_WAIT).size(), "the unextended record expired, the extended one holds");
        assertEquals(1, client.metrics().expired());
        assertEquals(2, client.metrics().inFlight());
    }

    @Test
    void failedStartMarkerSeeksBackCommitsNothingAndNamesTheRecord() {
        KmqClient<String, String> client = client(100);
        addRecords(P0, 5, 2);
        addRecords(P1, 7, 3);
        clients.consumer.seek(P0, 5);
        clients.consumer.seek(P1, 7);
        clients.producer.failWhen = record -> MarkerCodec.decodeKey(record.key()).equals(new MarkerKey(1, 8));

        KmqException e = assertThrows(KmqException.class, () -> client.nextBatch(NO_WAIT));
        assertEquals(Map.of(TOPIC, 1, "offset", 8L), Map.of(e.topic().orElseThrow(), e.partition(), "offset",
                e.offset()));
        assertTrue(e.getMessage().contains("START"), e.getMessage());
        assertSame(clients.producer.failure, e.getCause());
        assertEquals(5, clients.consumer.position(P0));
        assertEquals(7, clients.consumer.position(P1));
        assertEquals(Map.of(), nonNull(committed()));
        assertEquals(0, client.metrics().inFlight());
        assertEquals(1, client.metrics().markerSendFailures());
        assertEquals(4, client.metrics().started());

        clients.producer.failWhen = record -> false;
        addRecords(P0, 5, 2);
        addRecords(P1, 7, 3);
        assertEquals(5, client.nextBatch(NO_WAIT).size(), "the same batch is polled again");
        assertEquals(7, committed().get(P0).offset());
        assertEquals(10, committed().get(P1).offset());
    }

    @Test
    void commitRefusedAtOnceSeeksBackAndNamesTheFirstRecord() {
        KmqClient<String, String> client = client(100);
        addRecords(P1, 0, 2);
        ((CommitFailingConsumer) clients.consumer).refuseNextCommit = true;
        KmqException e = assertThrows(KmqException.class, () -> client.nextBatch(NO_WAIT));
        assertEquals(1, e.partition());
        assertEquals(0, e.offset());
        assertTrue(e.getCause() instanceof CommitFailedException);
        assertEquals(0, clients.consumer.position(P1));
        assertEquals(0, client.metrics().inFlight());
    }

    @Test
    void batchIsReturnedWithoutWaitingForItsCommitAndAFailedCommitIsRetriedByTheNext() {
        KmqClient<String, String> client = client(100);
        CommitFailingConsumer consumer = (CommitFailingConsumer) clients.consumer;
        addRecords(P0, 0, 2);
        addRecords(P1, 0, 1);
        consumer.failNextAsyncCommit = true;
        assertEquals(3, client.nextBatch(NO_WAIT).size(), "START markers durable: returned although the commit failed");
        assertEquals(Map.of(), nonNull(committed()));
        assertEquals(3, client.metrics().inFlight());

        addRecords(P0, 2, 1);
        assertEquals(1, client.nextBatch(NO_WAIT).size());
        assertEquals(3, committed().get(P0).offset());
        assertEquals(1, committed().get(P1).offset(), "the failed commit of P1 was sent again with the next batch");
    }

    @Test
    void closeCommitsOffsetsNotYetConfirmedSynchronously() {
        KmqClient<String, String> client = client(100);
        CommitFailingConsumer consumer = (CommitFailingConsumer) clients.consumer;
        addRecords(P1, 0, 4);
        consumer.failNextAsyncCommit = true;
        assertEquals(4, client.nextBatch(NO_WAIT).size());
        assertEquals(Map.of(), nonNull(committed()));
        client.close();
        this.client = null;
        assertEquals(Map.of(P1, new OffsetAndMetadata(4, java.util.Optional.empty(), "")), consumer.syncCommits.get(0));
    }

    @Test
    void revokedPartitionsGetTheirUnconfirmedOffsetsCommittedSynchronously() {
        KmqClient<String, String> client = client(100);
        CommitFailingConsumer consumer = (CommitFailingConsumer) clients.consumer;
        addRecords(P0, 0, 2);
        addRecords(P1, 0, 3);
        consumer.failNextAsyncCommit = true;
        assertEquals(5, client.nextBatch(NO_WAIT).size());
        consumer.rebalance(List.of(P1)); // revokes P0 (MockConsumer calls the listener)
        assertEquals(List.of(Map.of(P0, new OffsetAndMetadata(2, java.util.Optional.empty(), ""))),
                consumer.syncCommits, "only the revoked partition; P1 is committed with the next batch or on close");
    }

    @Test
    void ackingTwiceWritesTwoMarkersButCountsOnce() {
        KmqClient<String, String> client = client(100);
        addRecords(P0, 0, 2);
        List<ConsumerRecord<String, String>> batch = client.nextBatch(NO_WAIT);
        client.processed(batch.get(0));
        client.processed(batch.get(0));
        client.reject(batch.get(0), "late");
        assertEquals(1, client.metrics().inFlight());
        assertEquals(2, client.metrics().processed());
        assertEquals(2 + 3, sentMarkers().size());
    }

    @Test
    void ackMarkersCarryTheirPayloads() {
        KmqClient<String, String> client = client(100);
        addRecords(P1, 0, 4);
        List<ConsumerRecord<String, String>> batch = client.nextBatch(NO_WAIT);
        client.processed(batch.get(0));
        client.release(batch.get(1), Duration.ofSeconds(3));
        client.reject(batch.get(2), "é".repeat(600));
        client.extend(batch.get(3), Duration.ofMinutes(2));
        List<Marker> acks = sentMarkers().subList(4, 8).stream().map(r -> MarkerCodec.decodeValue(r.value())).toList();
        assertEquals(new Marker.End(), acks.get(0));
        assertEquals(new Marker.Release(Duration.ofSeconds(3)), acks.get(1));
        assertEquals(new Marker.Reject("é".repeat(512)), acks.get(2), "truncated to 1024 bytes");
        assertEquals(new Marker.Extend(Duration.ofMinutes(2)), acks.get(3));
        sentMarkers().subList(4, 8).forEach(r -> assertEquals(1, r.partition()));
        KmqClientMetrics metrics = client.metrics();
        assertEquals(List.of(4L, 4L, 1L, 1L, 1L, 1L, 0L, 1), List.of(metrics.polled(), metrics.started(),
                metrics.processed(), metrics.released(), metrics.rejected(), metrics.extended(),
                metrics.markerSendFailures(), metrics.inFlight()));
    }

    @Test
    void recordOfAnotherTopicIsRejectedByName() {
        KmqClient<String, String> client = client(100);
        ConsumerRecord<String, String> foreign = new ConsumerRecord<>("payments", 0, 3, "k", "v");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.processed(foreign));
        assertTrue(e.getMessage().contains("payments") && e.getMessage().contains(TOPIC), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.release(foreign, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> client.reject(foreign, "x"));
        assertThrows(IllegalArgumentException.class, () -> client.extend(foreign, Duration.ofSeconds(1)));
        assertEquals(List.of(), sentMarkers());
    }

    @Test
    void invalidArgumentsAreRejected() {
        KmqClient<String, String> client = client(100);
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 3, "k", "v");
        assertThrows(IllegalArgumentException.class, () -> client.nextBatch(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> client.release(record, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> client.extend(record, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> client.reject(record, null));
        assertThrows(NullPointerException.class, () -> client.processed(null));
    }

    @Test
    void oldestInFlightAgeFollowsTheInjectedClock() {
        KmqClient<String, String> client = client(100);
        assertEquals(Duration.ZERO, client.metrics().oldestInFlightAge());
        addRecords(P0, 0, 1);
        List<ConsumerRecord<String, String>> first = client.nextBatch(NO_WAIT);
        clock.advance(Duration.ofSeconds(5));
        addRecords(P0, 1, 1);
        List<ConsumerRecord<String, String>> second = client.nextBatch(NO_WAIT);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(7), client.metrics().oldestInFlightAge());
        client.processed(first.get(0));
        assertEquals(Duration.ofSeconds(2), client.metrics().oldestInFlightAge());
        client.processed(second.get(0));
        assertEquals(Duration.ZERO, client.metrics().oldestInFlightAge());
    }

    @Test
    void wakeupAbortsNextBatchAndTheClientStaysUsable() {
        KmqClient<String, String> client = client(100);
        client.wakeup();
        assertThrows(WakeupException.class, () -> client.nextBatch(NO_WAIT));
        addRecords(P0, 0, 1);
        assertEquals(1, client.nextBatch(NO_WAIT).size());
    }

    @Test
    void closeClosesBothClientsEvenWhenOneFailsAndIsIdempotent() {
        KmqClient<String, String> client = client(100);
        addRecords(P0, 0, 1);
        ConsumerRecord<String, String> record = client.nextBatch(NO_WAIT).get(0);
        ((CommitFailingConsumer) clients.consumer).closeFailure = new IllegalStateException("consumer close");
        clients.producer.closeFailure = new IllegalStateException("producer close");

        KmqException e = assertThrows(KmqException.class, client::close);
        assertEquals("consumer close", e.getCause().getMessage());
        assertEquals("producer close", e.getCause().getSuppressed()[0].getMessage());
        assertTrue(clients.consumer.closed());
        assertTrue(clients.producer.closed());
        client.close(); // second call: nothing
        assertThrows(IllegalStateException.class, () -> client.nextBatch(NO_WAIT));
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> client.processed(record));
        assertTrue(late.getMessage().contains("offset=0"), late.getMessage());
        this.client = null;
    }

    @Test
    void markerRefusedByTheProducerIsCountedAndThrownWithTheRecord() {
        KmqClient<String, String> client = client(100);
        addRecords(P0, 0, 1);
        ConsumerRecord<String, String> record = client.nextBatch(NO_WAIT).get(0);
        clients.producer.failWhen = r -> true;
        client.processed(record); // failure arrives through the callback: counted and logged, not thrown
        assertEquals(1, client.metrics().markerSendFailures());
        assertEquals(0, client.metrics().inFlight());
        assertFalse(sentMarkers().stream().anyMatch(r -> MarkerCodec.decodeValue(r.value()) instanceof Marker.End));
    }

    private static Map<TopicPartition, OffsetAndMetadata> nonNull(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> present = new java.util.HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                present.put(partition, offset);
            }
        });
        return present;
    }

    /** A MockConsumer whose next commit or close can be made to fail, and which records synchronous commits. */
    private static final class CommitFailingConsumer extends MockConsumer<String, String> {
        volatile boolean refuseNextCommit;
        volatile boolean failNextAsyncCommit;
        volatile RuntimeException closeFailure;
        final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new java.util.ArrayList<>();

        CommitFailingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            syncCommits.add(Map.copyOf(offsets));
            super.commitSync(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            if (refuseNextCommit) {
                refuseNextCommit = false;
                throw new CommitFailedException("injected");
            }
            if (failNextAsyncCommit) {
                failNextAsyncCommit = false;
                callback.onComplete(offsets, new CommitFailedException("injected"));
                return;
            }
            super.commitAsync(offsets, callback);
        }

        @Override
        public void close() {
            super.close();
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
    }
}
