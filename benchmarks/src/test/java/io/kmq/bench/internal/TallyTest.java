package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TallyTest {

    private static byte[] message(long seq, long sentNanos) {
        return Payload.encode(seq, sentNanos, 100);
    }

    @Test
    void primingMessagesCountPerPartitionOnceAndAreNotMeasured() {
        Tally tally = new Tally(2, 3, DropPolicy.NONE, true);
        assertTrue(tally.accept(message(-1, 0), 10));
        assertTrue(tally.accept(message(-1, 0), 10));
        assertTrue(tally.accept(message(-3, 0), 10));
        assertEquals(2, tally.primedPartitions());
        assertEquals(0, tally.deliveries());
        assertEquals(0, tally.firstNanos());
    }

    @Test
    void countsDistinctMessagesAndDuplicatesAndRecordsLatencyOnce() {
        Tally tally = new Tally(2, 1, DropPolicy.NONE, true);
        tally.accept(message(0, 1_000_000), 3_000_000);
        tally.accept(message(0, 1_000_000), 9_000_000);
        assertFalse(tally.complete());
        tally.accept(message(1, 2_000_000), 7_000_000);
        assertTrue(tally.complete());
        assertEquals(3, tally.deliveries());
        assertEquals(2, tally.distinct());
        assertEquals(1, tally.duplicates());
        assertEquals(3_000_000, tally.firstNanos());
        assertEquals(7_000_000, tally.lastNanos());
        Histogram latency = tally.takeLatency();
        assertEquals(2, latency.getTotalCount());
        assertEquals(2_000, latency.getMinValue(), 2);
        assertEquals(5_000, latency.getMaxValue(), 5);
    }

    @Test
    void dropsFollowThePolicyAndTheMessageIsProcessedAfterMaxDrops() {
        Tally tally = new Tally(1, 1, new DropPolicy(0.999_999, 2, 1), true);
        assertFalse(tally.accept(message(0, 0), 1));
        assertFalse(tally.accept(message(0, 0), 2));
        assertTrue(tally.accept(message(0, 0), 3));
        assertEquals(3, tally.deliveries());
        assertEquals(2, tally.dropped());
        assertEquals(1, tally.distinct());
    }

    @Test
    void withoutLatencyNothingIsRecorded() {
        Tally tally = new Tally(1, 1, DropPolicy.NONE, false);
        tally.accept(message(0, 0), 5_000);
        assertFalse(tally.recordsLatency());
        assertEquals(0, tally.takeLatency().getTotalCount());
    }

    @Test
    void aSequenceBeyondTheRunIsAnError() {
        Tally tally = new Tally(1, 1, DropPolicy.NONE, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tally.accept(message(1, 0), 0));
        assertTrue(e.getMessage().startsWith("message with sequence 1 (expected: < 1"), e.getMessage());
    }

    @Test
    void negativeLatencyIsClampedToZero() {
        Tally tally = new Tally(1, 1, DropPolicy.NONE, true);
        tally.accept(message(0, 10_000), 5_000);
        assertEquals(0, tally.takeLatency().getMaxValue());
    }
}
