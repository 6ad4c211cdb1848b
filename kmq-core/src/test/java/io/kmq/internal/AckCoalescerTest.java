package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import io.kmq.internal.InFlightRecords.Outcome;
import io.kmq.internal.InFlightRecords.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** END markers held by the in-flight index (created with coalescing) and written by the coalescer. */
class AckCoalescerTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final InFlightRecords inFlight = new InFlightRecords(true);
    private final AckCoalescer acks =
            new AckCoalescer(new MarkerSender(producer, "orders", "orders__markers", false), inFlight);

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

    private void handOut(Instant expires, MarkerRun... runs) {
        inFlight.addAll(List.of(runs), T0, expires);
    }

    private Settlement acknowledge(int partition, long offset) {
        return inFlight.settle(partition, offset, Outcome.PROCESSED);
    }

    @Test
    void aRunAcknowledgedInAnyOrderIsWrittenAsOneEndRangeOnceComplete() {
        handOut(T0.plusSeconds(30), new MarkerRun(1, 10, 5), new MarkerRun(2, 0, 2));
        for (long offset : new long[] {13, 10, 14, 12}) {
            assertEquals(Settlement.END_HELD, acknowledge(1, offset));
        }
        acks.sendReady();
        assertEquals(List.of(), sent(), "nothing before the run is complete");
        assertEquals(Settlement.END_HELD, acknowledge(1, 11));
        assertEquals(List.of(), sent(), "ready for the flusher thread, not sent by the acknowledging thread");
        acks.sendReady();
        assertEquals(List.of(endRange(1, 10, 5)), sent());
        assertEquals(1, inFlight.openRuns());
        assertEquals(2, inFlight.size());
    }

    @Test
    void flushWritesEachContiguousStretchOfAcknowledgmentsOnce() {
        handOut(T0.plusSeconds(30), new MarkerRun(0, 100, 8));
        for (long offset : new long[] {100, 101, 103, 105, 106}) {
            acknowledge(0, offset);
        }
        acks.flush();
        assertEquals(List.of(endRange(0, 100, 2), endRange(0, 103, 1), endRange(0, 105, 2)), sent());
        acks.flush();
        assertEquals(3, sent().size(), "a second flush writes nothing new");
        acknowledge(0, 102);
        acknowledge(0, 104);
        acknowledge(0, 107);
        acks.sendReady();
        assertEquals(List.of(endRange(0, 102, 1), endRange(0, 104, 1), endRange(0, 107, 1)),
                sent().subList(3, 6), "completing the run writes what the flush had not");
        assertEquals(0, inFlight.openRuns());
    }

    @Test
    void everyFlushWritesWhatWasAcknowledgedSinceTheOneBeforeWhileTheRunStaysOpen() {
        handOut(T0.plusSeconds(30), new MarkerRun(0, 0, 10));
        for (long offset = 0; offset < 9; offset++) {
            acknowledge(0, offset);
            acks.flush();
            assertEquals(endRange(0, offset, 1), sent().get((int) offset), "flush after offset " + offset);
        }
        acks.flush();
        assertEquals(9, sent().size(), "offset 9 (dropped by the application) has no END");
        assertEquals(1, inFlight.openRuns());
    }

    @Test
    void consecutiveRunsSettledBeforeOneSendLeaveAsOneEndRange() {
        handOut(T0.plusSeconds(30), new MarkerRun(0, 0, 3), new MarkerRun(1, 50, 2));
        handOut(T0.plusSeconds(30), new MarkerRun(0, 3, 2));
        handOut(T0.plusSeconds(30), new MarkerRun(0, 6, 1)); // offset 5 is not kmq's (a gap)
        for (long offset = 0; offset < 5; offset++) {
            acknowledge(0, offset);
        }
        acknowledge(1, 50);
        acknowledge(1, 51);
        acknowledge(0, 6);
        acks.sendReady();
        assertEquals(List.of(endRange(0, 0, 5), endRange(1, 50, 2), endRange(0, 6, 1)), sent(),
                "0-2 and 3-4 are contiguous, 6 is not");
        assertEquals(0, inFlight.openRuns());
    }

    @Test
    void aMergedEndRangeNeverCoversMoreThanTheMarkerFormatAllows() {
        int max = MarkerCodec.MAX_RANGE_COUNT;
        handOut(T0.plusSeconds(30), new MarkerRun(0, 0, max));
        handOut(T0.plusSeconds(30), new MarkerRun(0, max, 2));
        for (long offset = 0; offset < max + 2; offset++) {
            acknowledge(0, offset);
        }
        acks.sendReady();
        assertEquals(List.of(endRange(0, 0, max), endRange(0, max, 2)), sent());
    }

    @Test
    void theFlusherIsWokenOnlyOnceManyMarkersAreReady() throws InterruptedException {
        for (int run = 0; run < InFlightRecords.READY_BATCH; run++) {
            // runs on alternating partitions with gaps: nothing merges, every run is a marker of its own
            handOut(T0.plusSeconds(30), new MarkerRun(run % 2, run * 10L, 1));
            acknowledge(run % 2, run * 10L);
            if (run == InFlightRecords.READY_BATCH - 2) {
                assertFalse(acks.awaitReady(Duration.ofMillis(1)), "a few ready markers wait for the interval");
            }
        }
        assertTrue(acks.awaitReady(Duration.ofSeconds(10)));
        acks.sendReady();
        assertEquals(InFlightRecords.READY_BATCH, sent().size());
    }

    @Test
    void releasedRecordsSettleTheirRunWithoutAnEnd() {
        handOut(T0.plusSeconds(30), new MarkerRun(3, 0, 4));
        acknowledge(3, 0);
        assertEquals(Settlement.SETTLED, inFlight.settle(3, 1, Outcome.RELEASED), "the caller writes the RELEASE");
        acknowledge(3, 3);
        acks.sendReady();
        assertEquals(List.of(), sent());
        acknowledge(3, 2);
        acks.sendReady();
        assertEquals(List.of(endRange(3, 0, 1), endRange(3, 2, 2)), sent());
    }

    @Test
    void acknowledgmentsOutsideAnyRunOrTwiceAreNotHeld() {
        assertEquals(Settlement.NOT_IN_FLIGHT, acknowledge(5, 42), "the caller writes its END at once");
        handOut(T0.plusSeconds(30), new MarkerRun(5, 50, 2));
        assertEquals(Settlement.END_HELD, acknowledge(5, 50));
        assertEquals(Settlement.NOT_IN_FLIGHT, acknowledge(5, 50));
        assertEquals(Settlement.NOT_IN_FLIGHT, inFlight.settle(5, 49, Outcome.RELEASED));
        acks.flush();
        assertEquals(List.of(endRange(5, 50, 1)), sent(), "held once, written once");
        assertEquals(1, inFlight.size());
    }

    @Test
    void anExtendedRecordLeavesItsRunAndItsAcknowledgmentIsNotHeld() {
        handOut(T0.plusSeconds(30), new MarkerRun(0, 0, 2));
        acknowledge(0, 0);
        assertTrue(inFlight.extend(new MarkerKey(0, 1), T0.plusSeconds(90)));
        acks.sendReady();
        assertEquals(List.of(endRange(0, 0, 1)), sent(), "the run, settled but for the extended record, is complete");
        assertEquals(Settlement.SETTLED, acknowledge(0, 1), "the caller writes its END at once");
        assertEquals(0, inFlight.size());
    }

    @Test
    void theFlusherThreadSendsReadyMarkersAtOnceAndLeftoversWithinTheInterval() {
        handOut(T0.plusSeconds(30), new MarkerRun(0, 0, 2), new MarkerRun(1, 0, 2));
        try (AckFlusher flusher = new AckFlusher(acks, Duration.ofMillis(200), "test-flusher")) {
            acknowledge(0, 0);
            acknowledge(0, 1);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent().equals(List.of(endRange(0, 0, 2))));
            acknowledge(1, 1);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent().size() == 2);
            assertEquals(endRange(1, 1, 1), sent().get(1), "the leftover, flushed by the interval");
        }
    }

    @Test
    void expiredRunsWriteWhatWasAcknowledgedAndAreForgotten() {
        handOut(T0.plusSeconds(10), new MarkerRun(0, 0, 3));
        handOut(T0.plusSeconds(20), new MarkerRun(0, 3, 3));
        acknowledge(0, 1);
        assertEquals(2, inFlight.expire(T0.plusSeconds(10)), "0:0 and 0:2");
        acks.sendReady();
        assertEquals(List.of(endRange(0, 1, 1)), sent());
        assertEquals(1, inFlight.openRuns());
        assertEquals(Settlement.NOT_IN_FLIGHT, acknowledge(0, 2), "a late acknowledgment is written by the caller");
    }

    @Test
    void recordsHandedOutAgainLeaveTheirOldRunWhichKeepsTheRest() {
        handOut(T0.plusSeconds(10), new MarkerRun(0, 0, 10));
        acknowledge(0, 0);
        handOut(T0.plusSeconds(20), new MarkerRun(0, 5, 10));
        assertEquals(2, inFlight.openRuns());
        assertEquals(Settlement.END_HELD, acknowledge(0, 3), "0..4 stay in the old run");
        assertEquals(Settlement.END_HELD, acknowledge(0, 7), "5..14 are in the new run");
        acks.flush();
        assertEquals(List.of(endRange(0, 0, 1), endRange(0, 3, 1), endRange(0, 7, 1)), sent());
        assertEquals(12, inFlight.size(), "1, 2, 4 of the old run and 5..14 but 7 of the new");
    }
}
