package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PartitionClockTest {

    private final MutableClock wall = new MutableClock();
    private final PartitionClock clock = new PartitionClock(wall, Duration.ofSeconds(1));

    @Test
    void observedTimeIsTheLargestTimestampRead() {
        assertEquals(PartitionClock.UNKNOWN, clock.observedTime());
        clock.observe(500);
        clock.observe(300);
        assertEquals(500, clock.observedTime());
    }

    @Test
    void aDeadlineIsProvablyPastOnlyOnceSomethingLaterWasRead() {
        clock.observe(1000);
        assertTrue(clock.provablyPast(999));
        assertFalse(clock.provablyPast(1000), "a marker stamped at the deadline proves nothing about later ones");
        assertFalse(clock.provablyPast(5000));
    }

    @Test
    void wallClockAloneNeverMakesADeadlinePast() {
        wall.millis = 1_000_000;
        assertFalse(clock.provablyPast(1000));
    }

    @Test
    void tickOnlyWhenDueByTheWallClockButNotProvablyPast() {
        clock.observe(500);
        wall.millis = 1000;
        assertFalse(clock.shouldTick(1000), "not due yet by the wall clock");
        assertFalse(clock.shouldTick(400), "already provably past: no tick needed");
        assertTrue(clock.shouldTick(999));
    }

    @Test
    void atMostOneTickOutstandingUntilReadOrRetryInterval() {
        wall.millis = 5000;
        assertTrue(clock.shouldTick(1000));
        clock.tickSent();
        wall.millis = 5500;
        assertFalse(clock.shouldTick(1000), "one outstanding");
        clock.tickRead();
        assertTrue(clock.shouldTick(1000), "the tick came back but did not prove the deadline: send another");
        clock.tickSent();
        wall.millis = 6500;
        assertTrue(clock.shouldTick(1000), "not read back within the retry interval: resend");
    }

    @Test
    void rejectsANonPositiveRetryInterval() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionClock(wall, Duration.ZERO));
    }

    static final class MutableClock extends Clock {
        long millis;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
