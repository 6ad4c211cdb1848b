package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class AckCoalescerTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AckCoalescer acks = new AckCoalescer(new MarkerSender(producer, "orders", "orders__markers", false));

    /** A marker read back from the producer's history. */
    private record Sent(int partition, MarkerKey key, Marker marker) {
    }

    private List<Sent> sent() {
        return producer.history().stream().map(r -> new Sent(r.partition(), MarkerCodec.decodeKey(r.key()),
                MarkerCodec.decodeValue(r.value()))).toList();
    }

    private static Sent endRange(int partition, long first, int count) {
        return new Sent(partition, new MarkerKey(partition, first),
                count == 1 ? new Marker.End() : new Marker.EndRange(count));
    }

    @Test
    void aRunAcknowledgedInAnyOrderIsWrittenAsOneEndRangeOnceComplete() {
        acks.register(List.of(new MarkerRun(1, 10, 5), new MarkerRun(2, 0, 2)), T0.plusSeconds(30));
        for (long offset : new long[] {13, 10, 14, 12}) {
            acks.acknowledge(new MarkerKey(1, offset));
        }
        assertEquals(List.of(), sent(), "nothing before the run is complete");
        acks.acknowledge(new MarkerKey(1, 11));
        assertEquals(List.of(), sent(), "ready for the flusher thread, not sent by the acknowledging thread");
        acks.sendReady();
        assertEquals(List.of(endRange(1, 10, 5)), sent());
        assertEquals(1, acks.openRuns());
    }

    @Test
    void flushWritesEachContiguousStretchOfAcknowledgmentsOnce() {
        acks.register(List.of(new MarkerRun(0, 100, 8)), T0.plusSeconds(30));
        for (long offset : new long[] {100, 101, 103, 105, 106}) {
            acks.acknowledge(new MarkerKey(0, offset));
        }
        acks.flush();
        assertEquals(List.of(endRange(0, 100, 2), endRange(0, 103, 1), endRange(0, 105, 2)), sent());
        acks.flush();
        assertEquals(3, sent().size(), "a second flush writes nothing new");
        acks.acknowledge(new MarkerKey(0, 102));
        acks.acknowledge(new MarkerKey(0, 104));
        acks.acknowledge(new MarkerKey(0, 107));
        acks.sendReady();
        assertEquals(List.of(endRange(0, 102, 1), endRange(0, 104, 1), endRange(0, 107, 1)),
                sent().subList(3, 6), "completing the run writes what the flush had not");
        assertEquals(0, acks.openRuns());
    }

    @Test
    void consecutiveRunsSettledBeforeOneSendLeaveAsOneEndRange() {
        acks.register(List.of(new MarkerRun(0, 0, 3), new MarkerRun(1, 50, 2)), T0.plusSeconds(30));
        acks.register(List.of(new MarkerRun(0, 3, 2)), T0.plusSeconds(30));
        acks.register(List.of(new MarkerRun(0, 6, 1)), T0.plusSeconds(30)); // offset 5 is not kmq's (a gap)
        for (long offset = 0; offset < 5; offset++) {
            acks.acknowledge(new MarkerKey(0, offset));
        }
        acks.acknowledge(new MarkerKey(1, 50));
        acks.acknowledge(new MarkerKey(1, 51));
        acks.acknowledge(new MarkerKey(0, 6));
        acks.sendReady();
        assertEquals(List.of(endRange(0, 0, 5), endRange(1, 50, 2), endRange(0, 6, 1)), sent(),
                "0-2 and 3-4 are contiguous, 6 is not");
        assertEquals(0, acks.openRuns());
    }

    @Test
    void aMergedEndRangeNeverCoversMoreThanTheMarkerFormatAllows() {
        int max = MarkerCodec.MAX_RANGE_COUNT;
        acks.register(List.of(new MarkerRun(0, 0, max)), T0.plusSeconds(30));
        acks.register(List.of(new MarkerRun(0, max, 2)), T0.plusSeconds(30));
        for (long offset = 0; offset < max + 2; offset++) {
            acks.acknowledge(new MarkerKey(0, offset));
        }
        acks.sendReady();
        assertEquals(List.of(endRange(0, 0, max), endRange(0, max, 2)), sent());
    }

    @Test
    void theFlusherIsWokenOnlyOnceManyMarkersAreReady() throws InterruptedException {
        for (int run = 0; run < AckCoalescer.READY_BATCH; run++) {
            // runs on alternating partitions with gaps: nothing merges, every run is a marker of its own
            acks.register(List.of(new MarkerRun(run % 2, run * 10L, 1)), T0.plusSeconds(30));
            acks.acknowledge(new MarkerKey(run % 2, run * 10L));
            if (run == AckCoalescer.READY_BATCH - 2) {
                assertFalse(acks.awaitReady(Duration.ofMillis(1)), "a few ready markers wait for the interval");
            }
        }
        assertTrue(acks.awaitReady(Duration.ofSeconds(10)));
        acks.sendReady();
        assertEquals(AckCoalescer.READY_BATCH, sent().size());
    }

    @Test
    void releasedRecordsSettleTheirRunWithoutAnEnd() {
        acks.register(List.of(new MarkerRun(3, 0, 4)), T0.plusSeconds(30));
        acks.acknowledge(new MarkerKey(3, 0));
        acks.settle(new MarkerKey(3, 1));
        acks.acknowledge(new MarkerKey(3, 3));
        assertEquals(List.of(), sent());
        acks.acknowledge(new MarkerKey(3, 2));
        acks.sendReady();
        assertEquals(List.of(endRange(3, 0, 1), endRange(3, 2, 2)), sent());
    }

    @Test
    void acknowledgmentOutsideAnyOpenRunIsWrittenAtOnceAndTwiceIsHarmless() {
        acks.acknowledge(new MarkerKey(5, 42));
        assertEquals(List.of(endRange(5, 42, 1)), sent());
        acks.register(List.of(new MarkerRun(5, 50, 2)), T0.plusSeconds(30));
        acks.acknowledge(new MarkerKey(5, 50));
        acks.acknowledge(new MarkerKey(5, 50));
        acks.settle(new MarkerKey(5, 49));
        acks.flush();
        assertEquals(List.of(endRange(5, 42, 1), endRange(5, 50, 1)), sent());
    }

    @Test
    void theFlusherThreadSendsReadyMarkersAtOnceAndLeftoversWithinTheInterval() throws Exception {
        acks.register(List.of(new MarkerRun(0, 0, 2), new MarkerRun(1, 0, 2)), T0.plusSeconds(30));
        try (AckFlusher flusher = new AckFlusher(acks, java.time.Duration.ofMillis(200), "test-flusher")) {
            acks.acknowledge(new MarkerKey(0, 0));
            acks.acknowledge(new MarkerKey(0, 1));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> sent().equals(List.of(endRange(0, 0, 2))));
            acks.acknowledge(new MarkerKey(1, 1));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> sent().size() == 2);
            assertEquals(endRange(1, 1, 1), sent().get(1), "the leftover, flushed by the interval");
        }
    }

    @Test
    void expiredRunsWriteWhatWasAcknowledgedAndAreForgotten() {
        acks.register(List.of(new MarkerRun(0, 0, 3)), T0.plusSeconds(10));
        acks.register(List.of(new MarkerRun(0, 3, 3)), T0.plusSeconds(20));
        acks.acknowledge(new MarkerKey(0, 1));
        assertEquals(1, acks.expire(T0.plusSeconds(10)));
        assertEquals(List.of(endRange(0, 1, 1)), sent());
        assertEquals(1, acks.openRuns());
        acks.acknowledge(new MarkerKey(0, 2));
        assertEquals(endRange(0, 2, 1), sent().get(1), "a late acknowledgment is written at once");
    }

    @Test
    void recordsHandedOutAgainSupersedeTheirOldRun() {
        acks.register(List.of(new MarkerRun(0, 0, 10)), T0.plusSeconds(10));
        acks.acknowledge(new MarkerKey(0, 0));
        acks.register(List.of(new MarkerRun(0, 5, 10)), T0.plusSeconds(20));
        assertEquals(List.of(endRange(0, 0, 1)), sent(), "the old run's acknowledgment is written");
        assertEquals(1, acks.openRuns());
        acks.acknowledge(new MarkerKey(0, 3));
        assertEquals(endRange(0, 3, 1), sent().get(1));
    }
}
