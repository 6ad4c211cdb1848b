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
    private final PartitionClock clock = new PartitionClock(wall, Duration.ofSeconds(1), Duration.ofMillis(20));

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
    void aTickIsScheduledJustAfterTheEarliestUnprovenDeadline() {
        clock.observe(500);
        wall.millis = 600;
        assertEquals(1001, clock.tickTime(1000), "the first moment a broker stamp can prove 1000");
        assertEquals(PartitionClock.NO_TICK, clock.tickTime(400), "already provably past: no tick needed");
        wall.millis = 5000;
        assertEquals(5000, clock.tickTime(1000), "overdue: at once");
    }

    @Test
    void anEarlierDeadlineReschedulesAPendingTick() {
        clock.tickScheduled(2001);
        assertEquals(1501, clock.tickTime(1500));
        assertEquals(PartitionClock.NO_TICK, clock.tickTime(3000), "a tick is already scheduled for earlier");
    }

    @Test
    void aTickFiresOnlyIfItsDeadlineIsStillUnproven() {
        clock.tickScheduled(1001);
        wall.millis = 1001;
        clock.observe(1200);
        assertFalse(clock.fireTick(1000), "a marker read meanwhile proved it");
        assertEquals(PartitionClock.NO_TICK, clock.tickTime(1100), "proven as well");
        assertEquals(1401, clock.tickTime(1400), "no tick outstanding any more");
    }

    @Test
    void atMostOneTickOutstandingUntilReadOrRetryIntervalAndTicksAreApart() {
        wall.millis = 5000;
        clock.tickScheduled(clock.tickTime(1000));
        assertTrue(clock.fireTick(1000));
        wall.millis = 5500;
        assertEquals(PartitionClock.NO_TICK, clock.tickTime(1000), "one outstanding");
        clock.tickRead();
        assertEquals(5500, clock.tickTime(1000), "the tick came back but did not prove the deadline: send another");
        wall.millis = 5010;
        assertEquals(5020, clock.tickTime(1000), "but not sooner than the least gap after the last one");
        wall.millis = 5500;
        clock.tickScheduled(5500);
        assertTrue(clock.fireTick(1000));
        wall.millis = 6500;
        assertEquals(6500, clock.tickTime(1000), "not read back within the retry interval: resend");
    }

    @Test
    void rejectsANonPositiveRetryInterval() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionClock(wall, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new PartitionClock(wall, Duration.ofSeconds(1), Duration.ofMillis(-1)));
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
