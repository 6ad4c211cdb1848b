package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pipelining (kmq.start.await=handout) and range markers against a MockConsumer and a MockProducer that completes sends only when the test
 * says: no broker, deterministic.
 */
class KmqClientPipelineMockTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration PATIENCE = ManualMocks.PATIENCE;

    /** How many markers had been sent when each synchronous commit was made, in order. */
    private final List<Integer> markersAtSyncCommit = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ManualMocks.RecordingConsumer consumer = new ManualMocks.RecordingConsumer() {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            markersAtSyncCommit.add(producer.history().size());
            super.commitSync(offsets);
        }
    };
    /** Every offset committed, per partition, in order (MockConsumer reports 0 for unassigned partitions). */
    private final Map<TopicPartition, List<Long>> commits = consumer.commits;
    private final MockClients clients = new MockClients(consumer, false);
    private final MockProducer<byte[], byte[]> producer = clients.producer;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private KmqClient<String, String> client;

    private KmqClient<String, String> client(int prefetchBatches) {
        return client(prefetchBatches, Duration.ZERO);
    }

    private KmqClient<String, String> client(int prefetchBatches, Duration commitInterval) {
        return client(prefetchBatches, commitInterval, 4);
    }

    /** The mock consumer returns at most 4 records a poll; {@code maxPollRecords} is what the client is told. */
    private KmqClient<String, String> client(int prefetchBatches, Duration commitInterval, int maxPollRecords) {
        KmqConfig config = KmqConfig.builder().topic(TOPIC).groupId("g").bootstrapServers("localhost:1")
                .messageTimeout(Duration.ofSeconds(10)).prefetchBatches(prefetchBatches).commitInterval(commitInterval)
                .set("max.poll.records", maxPollRecords).awaitStartBeforeHandout(true).build();
        client = new KmqClient<>(config, new StringDeserializer(), new StringDeserializer(), clients, clock, false);
        ManualMocks.assign(consumer, P0, P1);
        return client;
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            ManualMocks.closeCompleting(client, producer); // close awaits the END markers of prefetched records
        }
    }

    private void completeAll() {
        ManualMocks.completeAll(producer);
    }

    private void addRecords(TopicPartition partition, long fromOffset, int count) {
        ManualMocks.addRecords(consumer, partition, fromOffset, count);
    }

    private List<Marker> sentMarkers() {
        return producer.history().stream().map(r -> MarkerCodec.decodeValue(r.value())).toList();
    }

    private OffsetAndMetadata committed(TopicPartition partition) {
        return consumer.committed(Set.of(partition)).get(partition);
    }

    @Test
    void aBatchIsReturnedOnlyOnceItsStartRangeIsAcknowledged() throws Exception {
        KmqClient<String, String> client = client(0);
        addRecords(P0, 0, 3);
        CompletableFuture<List<ConsumerRecord<String, String>>> batch =
                CompletableFuture.supplyAsync(() -> client.nextBatch(Duration.ZERO));
        Awaitility.await().atMost(PATIENCE).until(() -> producer.history().size() == 1);
        assertEquals(List.of(new Marker.StartRange(Duration.ofSeconds(10), 3)), sentMarkers());
        assertFalse(batch.isDone(), "returned before its START_RANGE was acknowledged");
        assertEquals(null, committed(P0), "committed before its START_RANGE was acknowledged");
        producer.completeNext();
        assertEquals(3, batch.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).size());
        assertEquals(3, committed(P0).offset());
    }

    @Test
    void prefetchedBatchesAreCommittedOnceTheirStartsAreDurableBeforeTheyAreHandedOut() throws Exception {
        KmqClient<String, String> client = firstHandedOutWhileTheOthersStart(2, 12);
        assertEquals(List.of(0L, 4L, 8L), startedOffsets(), "three batches started while the first START is pending");
        assertEquals(List.of(4L), commits.get(P0), "the prefetched batches' STARTs are pending: not committed");
        assertEquals(4, client.metrics().inFlight(), "in flight: the 4 handed out, not the 4 prefetched");

        completeAll();
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(List.of(4L, 12L), commits.get(P0), "both prefetched batches committed once durable, in one commit");
        assertEquals(8, client.metrics().inFlight(), "the two handed out, not the one still held");
        completeAll();
        assertEquals(List.of(8L, 9L, 10L, 11L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(List.of(4L, 12L), commits.get(P0), "committed already: not again at hand-out");
        assertEquals(List.of(0L, 4L, 8L), startedOffsets(), "no marker more: nothing polled since");
    }

    @Test
    void readyPrefetchedBatchesLeaveTogetherWithinMaxPollRecords() throws Exception {
        KmqClient<String, String> client = firstHandedOutWhileTheOthersStart(3, 16, 10);
        completeAll(); // the three prefetched batches are durable before the next call

        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), offsets(client.nextBatch(Duration.ZERO)),
                "two batches of 4 together: a third would pass max.poll.records 10");
        assertEquals(12, client.metrics().inFlight());
        assertEquals(List.of(12L, 13L, 14L, 15L), offsets(client.nextBatch(Duration.ZERO)), "the third one next");
        assertEquals(List.of(4L, 16L), commits.get(P0), "the durable batches committed together");
    }

    @Test
    void aBatchWhoseStartIsPendingIsNotJoinedToTheHandOut() throws Exception {
        KmqClient<String, String> client = firstHandedOutWhileTheOthersStart(2, 12, 100);
        producer.completeNext(); // the batch from 4; the one from 8 stays pending

        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(List.of(4L, 8L), commits.get(P0), "not committed past the pending START");
    }

    @Test
    void aDurableBatchIsNotCommittedPastAnEarlierOneWhoseStartFailed() throws Exception {
        KmqClient<String, String> client = firstHandedOutWhileTheOthersStart(2, 12);
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("injected")); // the batch from 4
        producer.completeNext(); // the batch from 8: durable, behind one that is not

        KmqException failure = org.junit.jupiter.api.Assertions.assertThrows(KmqException.class,
                () -> client.nextBatch(Duration.ZERO));
        assertEquals(4, failure.offset(), failure.getMessage());
        assertEquals(List.of(4L), commits.get(P0), "nothing committed past the failed START");
        assertEquals(4, consumer.position(P0), "sought back to the failed batch, to be polled again");
    }

    @Test
    void revokedPartitionsGiveTheirPrefetchedRecordsBackCommitFirstThenEnd() throws Exception {
        KmqClient<String, String> client = client(2);
        addRecords(P0, 0, 8);
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        int sentBefore = producer.history().size();
        assertEquals(List.of(8L), commits.get(P0).subList(commits.get(P0).size() - 1, commits.get(P0).size()),
                "the prefetched batch is durable and committed");

        CompletableFuture<Void> rebalance = CompletableFuture.runAsync(() -> consumer.rebalance(List.of(P1)));
        Awaitility.await().atMost(PATIENCE).until(() -> {
            completeAll(); // the revocation awaits the END markers
            return rebalance.isDone();
        });
        rebalance.get();
        List<Marker> ends = sentMarkers().subList(sentBefore, sentMarkers().size());
        assertEquals(List.of(new Marker.EndRange(4)), ends, "the prefetched batch of P0 ends");
        assertEquals(4L, commits.get(P0).get(commits.get(P0).size() - 1), "committed back to the first not handed out");
        assertEquals(sentBefore, markersAtSyncCommit.get(0), "the commit back is made before the END is sent");
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty(), "nothing of P0 is handed out any more");
    }

    @Test
    void theFullDepthIsPrefetchedOnlyWhileStartsAreInFlight() throws Exception {
        KmqClient<String, String> client = firstHandedOutWhileTheOthersStart(3, 40);
        assertEquals(List.of(0L, 4L, 8L, 12L), startedOffsets(), "3 batches ahead while the first START is pending");

        completeAll(); // from now on every START is acknowledged before the next call: a slow application
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(List.of(8L, 9L, 10L, 11L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(4, producer.history().size(), "none started while more than one batch is ahead");
        assertEquals(List.of(12L, 13L, 14L, 15L), offsets(client.nextBatch(Duration.ZERO)));
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L), startedOffsets(), "one batch ahead");

        // the START sent by the previous call is still in flight: a fast application gets the full depth again
        CompletableFuture<List<ConsumerRecord<String, String>>> fast =
                CompletableFuture.supplyAsync(() -> client.nextBatch(Duration.ZERO));
        Awaitility.await().atMost(PATIENCE).until(() -> producer.history().size() == 8);
        completeAll();
        assertEquals(List.of(16L, 17L, 18L, 19L), offsets(fast.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)));
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L, 20L, 24L, 28L), startedOffsets());
    }

    @Test
    void aBatchPrefetchedLongAgoGetsFreshStartsAtHandOut() throws Exception {
        KmqClient<String, String> client = client(1);
        addRecords(P0, 0, 8);
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        assertEquals(2, producer.history().size(), "a batch handed out, one prefetched");
        clock.advance(Duration.ofSeconds(2)); // more than a tenth of the 10 s timeout
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        assertEquals(List.of(0L, 4L, 4L), startedOffsets(), "the prefetched batch started again");
        assertEquals(new Marker.StartRange(Duration.ofSeconds(10), 4), sentMarkers().get(2));
        clock.advance(Duration.ofSeconds(9)); // 11 s after the first START, 9 s after the second
        client.nextBatch(Duration.ZERO);
        assertEquals(4, client.metrics().inFlight(), "the restarted batch has not expired");
        assertEquals(4, client.metrics().expired(), "the first batch has");
    }

    @Test
    void offsetsAreCommittedAtMostOncePerCommitIntervalByAnyLaterCall() throws Exception {
        KmqClient<String, String> client = client(0, Duration.ofMillis(100));
        addRecords(P0, 0, 8);
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        assertEquals(List.of(4L), commits.get(P0), "the first batch is committed at once");
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        assertEquals(List.of(4L), commits.get(P0), "within the interval: not yet");
        clock.advance(Duration.ofMillis(100));
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty());
        assertEquals(List.of(4L, 8L), commits.get(P0), "sent by a call that found no records");
        clock.advance(Duration.ofMillis(100));
        assertTrue(client.nextBatch(Duration.ZERO).isEmpty());
        assertEquals(List.of(4L, 8L), commits.get(P0), "nothing new to commit");
        addRecords(P0, 8, 4);
        completeAllWhile(() -> client.nextBatch(Duration.ZERO));
        assertEquals(List.of(4L, 8L, 12L), commits.get(P0), "the interval has passed: sent by the hand-out");
    }

    /**
     * A client with {@code prefetchBatches} and {@code records} records of P0 whose first call starts the full depth
     * and hands out the first batch once its START alone is acknowledged (the others still pending).
     */
    private KmqClient<String, String> firstHandedOutWhileTheOthersStart(int prefetchBatches, int records)
            throws Exception {
        return firstHandedOutWhileTheOthersStart(prefetchBatches, records, 4);
    }

    private KmqClient<String, String> firstHandedOutWhileTheOthersStart(int prefetchBatches, int records,
                                                                         int maxPollRecords) throws Exception {
        KmqClient<String, String> client = client(prefetchBatches, Duration.ZERO, maxPollRecords);
        addRecords(P0, 0, records);
        CompletableFuture<List<ConsumerRecord<String, String>>> first =
                CompletableFuture.supplyAsync(() -> client.nextBatch(Duration.ZERO));
        Awaitility.await().atMost(PATIENCE).until(() -> producer.history().size() == prefetchBatches + 1);
        producer.completeNext(); // only the first batch's START
        assertEquals(List.of(0L, 1L, 2L, 3L), offsets(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)));
        return client;
    }

    private void completeAllWhile(java.util.function.Supplier<List<ConsumerRecord<String, String>>> call)
            throws Exception {
        CompletableFuture<List<ConsumerRecord<String, String>>> result = CompletableFuture.supplyAsync(call);
        Awaitility.await().atMost(PATIENCE).until(() -> {
            completeAll();
            return result.isDone();
        });
        assertEquals(4, result.get().size());
    }

    private List<Long> startedOffsets() {
        return producer.history().stream().map(r -> MarkerCodec.decodeKey(r.key()).offset()).toList();
    }

    private static List<Long> offsets(List<ConsumerRecord<String, String>> records) {
        return ManualMocks.offsets(records);
    }
}
