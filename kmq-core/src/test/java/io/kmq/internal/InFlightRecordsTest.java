package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.MarkerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRecordsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void oldestIsTheFirstStillInFlight() {
        InFlightRecords records = new InFlightRecords();
        assertEquals(Optional.empty(), records.oldest());
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(1, 1), T0.plusSeconds(1), T0.plusSeconds(1).plus(TIMEOUT));
        records.add(new MarkerKey(0, 2), T0.plusSeconds(2), T0.plusSeconds(2).plus(TIMEOUT));
        assertEquals(Optional.of(T0), records.oldest());
        records.remove(new MarkerKey(0, 1));
        assertEquals(Optional.of(T0.plusSeconds(1)), records.oldest());
        records.remove(new MarkerKey(0, 2));
        assertEquals(Optional.of(T0.plusSeconds(1)), records.oldest());
    }

    @Test
    void aBatchAddedAtOnceKeepsItsOrderAndLeavesRecordsAlreadyInFlightUnchanged() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        Instant later = T0.plusSeconds(5);
        records.addAll(java.util.List.of(new MarkerKey(0, 1), new MarkerKey(1, 4), new MarkerKey(0, 2)), later,
                later.plus(TIMEOUT));
        assertEquals(3, records.size());
        assertEquals(Optional.of(T0), records.oldest(), "the record already in flight kept its hand-out time");
        assertEquals(1, records.expire(T0.plus(TIMEOUT)), "and its expiry; the batch expires later");
        assertEquals(Optional.of(later), records.oldest());
        assertTrue(records.remove(new MarkerKey(1, 4)));
        assertEquals(1, records.expire(later.plus(TIMEOUT)));
        assertEquals(0, records.size());
    }

    @Test
    void removingTwiceOrRemovingAnUnknownRecordChangesNothing() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(0, 2), T0, T0.plus(TIMEOUT));
        assertTrue(records.remove(new MarkerKey(0, 1)));
        assertFalse(records.remove(new MarkerKey(0, 1)));
        assertFalse(records.remove(new MarkerKey(7, 7)));
        assertEquals(1, records.size());
        assertTrue(records.contains(new MarkerKey(0, 2)));
    }

    @Test
    void addingARecordAgainKeepsItsFirstTimeAndCountsOnce() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(0, 1), T0.plusSeconds(9), T0.plusSeconds(9).plus(TIMEOUT));
        assertEquals(1, records.size());
        assertEquals(Optional.of(T0), records.oldest());
    }

    @Test
    void awaitBelowReturnsAtOnceWhenThereIsRoom() throws InterruptedException {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        assertTrue(records.awaitBelow(2, Duration.ofHours(1)));
    }

    @Test
    void awaitBelowTimesOutAtTheLimit() throws InterruptedException {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        assertFalse(records.awaitBelow(1, Duration.ofMillis(10)));
    }

    @Test
    void awaitBelowReturnsWhenAnotherThreadMakesRoom() throws Exception {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return records.awaitBelow(1, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        records.remove(new MarkerKey(0, 1));
        assertTrue(waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void wakeUpEndsTheWaitWithoutRoom() throws Exception {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.wakeUp();
        assertFalse(records.awaitBelow(1, Duration.ofMinutes(1)));
        assertFalse(records.awaitBelow(1, Duration.ofMillis(1)), "a wake-up is consumed by one wait");
    }

    @Test
    void recordsPastTheirExpiryLeaveTheCountOldestFirst() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plusSeconds(10));
        records.add(new MarkerKey(0, 2), T0, T0.plusSeconds(10));
        records.add(new MarkerKey(0, 3), T0.plusSeconds(5), T0.plusSeconds(15));
        assertEquals(0, records.expire(T0.plusSeconds(9)));
        assertEquals(2, records.expire(T0.plusSeconds(10)));
        assertEquals(1, records.size());
        assertEquals(2, records.expiredCount());
        assertTrue(records.contains(new MarkerKey(0, 3)));
    }

    @Test
    void anExtendedRecordExpiresLaterAndHoldsBackYoungerOnes() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plusSeconds(10));
        records.add(new MarkerKey(0, 2), T0, T0.plusSeconds(10));
        assertTrue(records.extend(new MarkerKey(0, 1), T0.plusSeconds(60)));
        assertEquals(0, records.expire(T0.plusSeconds(30)));
        assertEquals(2, records.expire(T0.plusSeconds(60)));
        assertFalse(records.extend(new MarkerKey(0, 1), T0.plusSeconds(90)));
    }
}
