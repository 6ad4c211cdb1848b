package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InFlightRunTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void bitRangesCoverTheirIndexesUpToAllSixtyFour() {
        assertEquals(0L, InFlightRun.bits(5, 5));
        assertEquals(0b1110L, InFlightRun.bits(1, 4));
        assertEquals(-1L, InFlightRun.bits(0, 64));
        assertEquals(Long.MIN_VALUE, InFlightRun.bits(63, 64));
        assertEquals(-1L << 10, InFlightRun.bits(10, 64));
    }

    @Test
    void nextSetAndNextClearSayAllSixtyFourWhenThereIsNone() {
        long word = InFlightRun.bits(3, 6) | InFlightRun.bits(63, 64);
        assertEquals(3, InFlightRun.nextSet(word, 0));
        assertEquals(5, InFlightRun.nextSet(word, 5));
        assertEquals(63, InFlightRun.nextSet(word, 6));
        assertEquals(64, InFlightRun.nextSet(word, 64));
        assertEquals(64, InFlightRun.nextSet(0L, 0));
        assertEquals(6, InFlightRun.nextClear(word, 3));
        assertEquals(64, InFlightRun.nextClear(-1L, 0));
        assertEquals(64, InFlightRun.nextClear(word, 63));
    }

    @Test
    void takingStopsAtTheFirstOffsetAlreadyGoneAndCountsEachOnce() {
        InFlightRun run = new InFlightRun(0, 100, 64, T0, T0);
        assertTrue(run.take(110));
        assertFalse(run.take(110), "gone already");
        assertEquals(10, run.takeUpTo(100, 163), "100..109, then 110 is gone");
        assertEquals(0, run.takeUpTo(105, 120));
        assertEquals(53, run.takeAll(100, 163), "all but the 11 taken before");
        assertEquals(0, run.live);
        assertFalse(run.holds(163));
        assertEquals(163, run.last());
    }
}
