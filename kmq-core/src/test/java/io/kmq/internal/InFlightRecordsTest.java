package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.MarkerKey;
import io.kmq.internal.InFlightRecords.Outcome;
import io.kmq.internal.InFlightRecords.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRecordsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** Releases a record; returns whether it was in flight. */
    private static boolean released(InFlightRecords records, int partition, long offset) {
        return records.settle(partition, offset, Outcome.RELEASED) != Settlement.NOT_IN_FLIGHT;
    }

    @Test
    void settlingCountsEachOutcomeWhetherOrNotTheRecordWasInFlight() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 0, 3)), T0, T0.plus(TIMEOUT));
        assertEquals(Settlement.SETTLED, records.settle(0, 0, Outcome.PROCESSED), "no END held without coalescing");
        assertEquals(Settlement.NOT_IN_FLIGHT, records.settle(0, 0, Outcome.PROCESSED), "acknowledged twice");
        assertEquals(Settlement.SETTLED, records.settle(0, 1, Outcome.RELEASED));
        assertTrue(records.extend(new MarkerKey(0, 2), T0.plus(TIMEOUT).plus(TIMEOUT)));
        assertFalse(records.extend(new MarkerKey(0, 7), T0.plus(TIMEOUT)), "never handed out");
        assertEquals(Settlement.SETTLED, records.settle(0, 2, Outcome.REJECTED), "extended, then rejected");
        assertEquals(2, records.count(Outcome.PROCESSED));
        assertEquals(1, records.count(Outcome.RELEASED));
        assertEquals(1, records.count(Outcome.REJECTED));
        assertEquals(2, records.count(Outcome.EXTENDED));
        assertEquals(0, records.size());
        assertThrows(IllegalArgumentException.class,
                () -> records.settle(0, 0, Outcome.EXTENDED));
    }

    @Test
    void settlingSeveralAtOnceIsSettlingEachInTurn() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 3), new MarkerRun(1, 5, 2)), T0, T0.plus(TIMEOUT));
        Settlement[] settlements = records.settleAll(new int[] {0, 1, 0, 1, 0, 2},
                new long[] {0, 5, 0, 6, 2, 9}, Outcome.PROCESSED);
        assertEquals(List.of(Settlement.END_HELD, Settlement.END_HELD, Settlement.NOT_IN_FLIGHT, Settlement.END_HELD,
                Settlement.END_HELD, Settlement.NOT_IN_FLIGHT), List.of(settlements));
        assertEquals(6, records.count(Outcome.PROCESSED));
        assertEquals(1, records.size(), "offset 1 of partition 0 is left");
        assertTrue(records.contains(new MarkerKey(0, 1)));
        // partition 1's run is complete: its held ENDs are ready as one marker; partition 0's wait for the flush
        assertEquals(List.of(new MarkerRun(1, 5, 2)), records.takeReady());
        assertEquals(List.of(new MarkerRun(0, 0, 1), new MarkerRun(0, 2, 1)), records.takeAcknowledged());
        assertThrows(IllegalArgumentException.class,
                () -> records.settleAll(new int[] {0}, new long[] {1}, Outcome.EXTENDED));
        assertThrows(IllegalArgumentException.class,
                () -> records.settleAll(new int[] {0, 0}, new long[] {1}, Outcome.PROCESSED));
        assertEquals(1, records.size(), "a refused call settles nothing");
    }

    @Test
    void oldestIsTheFirstStillInFlight() {
        InFlightRecords records = new InFlightRecords();
        assertEquals(Optional.empty(), records.oldest());
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(1, 1), T0.plusSeconds(1), T0.plusSeconds(1).plus(TIMEOUT));
        records.add(new MarkerKey(0, 2), T0.plusSeconds(2), T0.plusSeconds(2).plus(TIMEOUT));
        assertEquals(Optional.of(T0), records.oldest());
        released(records, 0, 1);
        assertEquals(Optional.of(T0.plusSeconds(1)), records.oldest());
        released(records, 0, 2);
        assertEquals(Optional.of(T0.plusSeconds(1)), records.oldest());
    }

    @Test
    void aRecordHandedOutAgainCountsOnceFromItsLatestHandOut() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(0, 3), T0, T0.plus(TIMEOUT));
        Instant later = T0.plusSeconds(5);
        records.addAll(List.of(new MarkerRun(0, 1, 2), new MarkerRun(1, 4, 1)), later, later.plus(TIMEOUT));
        assertEquals(4, records.size(), "0:1 counted once, 0:2, 0:3 and 1:4");
        assertEquals(Optional.of(T0), records.oldest(), "0:3 is still from the first hand-out");
        assertEquals(1, records.expire(T0.plus(TIMEOUT)), "only 0:3 expires with the first hand-out");
        assertTrue(records.contains(new MarkerKey(0, 1)), "0:1 expires with its latest hand-out");
        assertEquals(Optional.of(later), records.oldest());
        assertTrue(released(records, 1, 4));
        assertEquals(2, records.expire(later.plus(TIMEOUT)));
        assertEquals(0, records.size());
    }

    @Test
    void aRunHandedOutAgainInItsMiddleKeepsBothSidesInFlight() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 10, 10)), T0, T0.plus(TIMEOUT));
        assertTrue(released(records, 0, 14));
        Instant later = T0.plusSeconds(5);
        records.addAll(List.of(new MarkerRun(0, 13, 3)), later, later.plus(TIMEOUT));
        assertEquals(10, records.size(), "10..19: 14, acknowledged, is handed out again with 13 and 15");
        for (long offset = 10; offset < 20; offset++) {
            assertTrue(records.contains(new MarkerKey(0, offset)), "offset " + offset);
        }
        assertEquals(7, records.expire(T0.plus(TIMEOUT)), "10..12 and 16..19 of the first hand-out");
        assertFalse(records.contains(new MarkerKey(0, 12)));
        assertFalse(records.contains(new MarkerKey(0, 16)));
        assertTrue(released(records, 0, 14));
        assertEquals(2, records.size());
    }

    @Test
    void aRunLongerThanALongsBitsIsKeptInPartsThatEndAsOneRangeAndSkipAcrossTheirBoundary() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 1000, 200)), T0, T0.plus(TIMEOUT));
        assertEquals(200, records.size());
        assertEquals(4, records.openRuns(), "kept as 64 + 64 + 64 + 8 records");
        for (long offset = 1000; offset < 1200; offset++) {
            assertTrue(records.contains(new MarkerKey(0, offset)), "offset " + offset);
        }
        assertFalse(records.contains(new MarkerKey(0, 1200)));
        assertTrue(released(records, 0, 1100));
        for (long offset = 1000; offset < 1200; offset++) {
            if (offset != 1100) {
                assertEquals(Settlement.END_HELD, records.settle(0, offset, Outcome.PROCESSED), "offset " + offset);
            }
        }
        assertEquals(List.of(new MarkerRun(0, 1000, 100), new MarkerRun(0, 1101, 99)), records.takeReady(),
                "one END range on either side of the released record, across the parts' boundaries");
        assertEquals(0, records.size());

        records.addAll(List.of(new MarkerRun(1, 0, 130)), T0, T0.plus(TIMEOUT));
        for (long offset = 60; offset < 70; offset++) {
            records.settle(1, offset, Outcome.PROCESSED);
        }
        assertEquals(List.of(new MarkerRun(1, 0, 60), new MarkerRun(1, 70, 60)),
                records.skipProcessed(new MarkerRun(1, 0, 130)), "60..69, across the first boundary, processed");
        assertEquals(List.of(), records.takeAcknowledged(), "their ENDs skipped too");
        assertEquals(120, records.size());
    }

    @Test
    void theEndsOfALongHandOutSettledInAnyOrderLeaveAsOneRange() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(2, 0, 200)), T0, T0.plus(TIMEOUT));
        List<Long> offsets = new ArrayList<>();
        for (long offset = 0; offset < 200; offset++) {
            offsets.add(offset);
        }
        java.util.Collections.shuffle(offsets, new Random(3));
        for (long offset : offsets) {
            records.settle(2, offset, Outcome.PROCESSED);
        }
        assertEquals(List.of(new MarkerRun(2, 0, 200)), records.takeReady(), "its four parts merged as they left");
        assertEquals(0, records.openRuns());

        records.addAll(List.of(new MarkerRun(2, 200, 100)), T0, T0.plus(TIMEOUT));
        for (long offset = 299; offset >= 210; offset--) {
            records.settle(2, offset, Outcome.PROCESSED);
        }
        assertEquals(List.of(new MarkerRun(2, 210, 90)), records.takeAcknowledged(),
                "the closed part's ENDs and the open one's, merged backwards");
        assertEquals(0, records.expire(T0.plus(TIMEOUT).minusMillis(1)));
        assertEquals(10, records.expire(T0.plus(TIMEOUT)));
        assertEquals(List.of(), records.takeReady(), "nothing written twice");
    }

    @Test
    void aStretchFillingTheGapBetweenTwoWaitingOnesJoinsThemIntoOne() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(4, 0, 3), new MarkerRun(5, 0, 1)), T0, T0.plus(TIMEOUT));
        records.addAll(List.of(new MarkerRun(4, 3, 3)), T0, T0.plus(TIMEOUT));
        records.addAll(List.of(new MarkerRun(4, 6, 3)), T0, T0.plus(TIMEOUT));
        for (long offset : new long[] {6, 7, 8, 0, 1, 2}) {
            records.settle(4, offset, Outcome.PROCESSED);
        }
        records.settle(5, 0, Outcome.PROCESSED);
        for (long offset : new long[] {3, 4, 5}) {
            records.settle(4, offset, Outcome.PROCESSED);
        }
        assertEquals(List.of(new MarkerRun(4, 0, 9), new MarkerRun(5, 0, 1)), records.takeReady());
    }

    @Test
    void aRunWhosePiecesAreBothHandedOutAgainLeavesTheIndexOnce() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 0, 10)), T0, T0.plus(TIMEOUT));
        records.addAll(List.of(new MarkerRun(0, 3, 3)), T0, T0.plus(TIMEOUT)); // pieces 0..2 and 6..9 stay
        for (long offset = 6; offset < 10; offset++) {
            assertTrue(released(records, 0, offset));
        }
        assertEquals(2, records.openRuns());
        records.addAll(List.of(new MarkerRun(0, 0, 10)), T0.plusSeconds(1), T0.plusSeconds(1).plus(TIMEOUT));
        assertEquals(1, records.openRuns(), "both older runs superseded; the first leaves with its first piece");
        assertEquals(10, records.size());
        assertEquals(0, records.expire(T0.plus(TIMEOUT)));
        assertEquals(10, records.expire(T0.plusSeconds(1).plus(TIMEOUT)));
        assertEquals(0, records.openRuns());
        assertEquals(Optional.empty(), records.oldest());
    }

    @Test
    void aRunFullyAcknowledgedLeavesNoTrace() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 0, 3), new MarkerRun(1, 0, 2)), T0, T0.plus(TIMEOUT));
        for (long offset = 0; offset < 3; offset++) {
            assertTrue(released(records, 0, offset));
        }
        assertFalse(released(records, 0, 0));
        assertEquals(2, records.size());
        assertEquals(0, records.expire(T0.plus(TIMEOUT).minusMillis(1)));
        assertEquals(2, records.expire(T0.plus(TIMEOUT)));
        assertEquals(Optional.empty(), records.oldest());
    }

    @Test
    void settlingTwiceOrSettlingAnUnknownRecordChangesNothing() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(0, 2), T0, T0.plus(TIMEOUT));
        assertTrue(released(records, 0, 1));
        assertFalse(released(records, 0, 1));
        assertFalse(released(records, 7, 7));
        assertEquals(1, records.size());
        assertTrue(records.contains(new MarkerKey(0, 2)));
    }

    @Test
    void addingARecordAgainCountsOnce() {
        InFlightRecords records = new InFlightRecords();
        records.add(new MarkerKey(0, 1), T0, T0.plus(TIMEOUT));
        records.add(new MarkerKey(0, 1), T0.plusSeconds(9), T0.plusSeconds(9).plus(TIMEOUT));
        assertEquals(1, records.size());
        assertEquals(Optional.of(T0.plusSeconds(9)), records.oldest());
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
        released(records, 0, 1);
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
    void runsSettledBehindAnOldOneThatIsStillInFlightLeaveTheCountAndTheOldOneStillExpiresFirst() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(7, 0, 2)), T0, T0.plusSeconds(10)); // never acknowledged
        int behind = 500; // enough to drop the settled runs behind it more than once
        for (int i = 1; i <= behind; i++) {
            records.addAll(List.of(new MarkerRun(7, 2L * i, 2), new MarkerRun(1000, i, 1)), T0.plusSeconds(1),
                    T0.plusSeconds(20));
            assertEquals(Settlement.END_HELD, records.settle(7, 2L * i, Outcome.PROCESSED));
            assertEquals(Settlement.END_HELD, records.settle(7, 2L * i + 1, Outcome.PROCESSED));
            assertEquals(Settlement.END_HELD, records.settle(1000, i, Outcome.PROCESSED));
        }
        assertEquals(1, records.openRuns());
        assertEquals(2, records.size());
        assertEquals(Optional.of(T0), records.oldest());
        assertEquals(2, records.expire(T0.plusSeconds(10)));
        assertEquals(0, records.openRuns());
        assertEquals(Optional.empty(), records.oldest());
        // held ENDs: the settled records of partition 7 as one stretch (2..1001), and partition 1000's (1..500)
        List<MarkerRun> ends = records.takeAcknowledged();
        assertEquals(Set.of(new MarkerRun(7, 2, 2 * behind), new MarkerRun(1000, 1, behind)), new HashSet<>(ends));
        records.addAll(List.of(new MarkerRun(7, 0, 2)), T0.plusSeconds(11), T0.plusSeconds(40)); // polled again
        assertTrue(records.contains(new MarkerKey(7, 1)));
        assertEquals(1, records.openRuns());
    }

    @Test
    void anExtendedRecordExpiresAtItsOwnTimeAndTheRestOfItsRunAtTheirs() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 1, 2)), T0, T0.plusSeconds(10));
        assertTrue(records.extend(new MarkerKey(0, 1), T0.plusSeconds(60)));
        assertTrue(records.extend(new MarkerKey(0, 1), T0.plusSeconds(70)), "extended again");
        assertEquals(2, records.size());
        assertEquals(Optional.of(T0), records.oldest(), "an extended record keeps its hand-out time");
        assertEquals(1, records.expire(T0.plusSeconds(30)), "0:2 expires on time");
        assertTrue(records.contains(new MarkerKey(0, 1)));
        assertEquals(0, records.expire(T0.plusSeconds(69)));
        assertEquals(1, records.expire(T0.plusSeconds(70)));
        assertFalse(records.extend(new MarkerKey(0, 1), T0.plusSeconds(90)));
        assertEquals(0, records.size());
    }

    @Test
    void anExtendedRecordCanBeSettledOnceAndHandedOutAgain() {
        InFlightRecords records = new InFlightRecords();
        records.addAll(List.of(new MarkerRun(0, 1, 2)), T0, T0.plusSeconds(10));
        assertTrue(records.extend(new MarkerKey(0, 2), T0.plusSeconds(60)));
        assertTrue(released(records, 0, 2));
        assertFalse(released(records, 0, 2));
        assertTrue(records.extend(new MarkerKey(0, 1), T0.plusSeconds(60)));
        records.addAll(List.of(new MarkerRun(0, 1, 1)), T0.plusSeconds(5), T0.plusSeconds(15));
        assertEquals(1, records.size(), "0:1 counted once, from its new hand-out");
        assertEquals(1, records.expire(T0.plusSeconds(15)));
        assertEquals(0, records.size());
    }

    @Test
    void aStartAboutToBeWrittenSkipsTheRecordsProcessedMeanwhileAndTheirEnds() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 4)), T0, T0.plus(TIMEOUT));
        records.addAll(List.of(new MarkerRun(0, 4, 4), new MarkerRun(1, 0, 2)), T0, T0.plus(TIMEOUT));
        for (long offset : new long[] {0, 1, 2, 3, 5, 7}) {
            records.settle(0, offset, Outcome.PROCESSED); // 0..3 complete its run: ENDs ready; 5 and 7 held
        }
        records.settle(0, 6, Outcome.RELEASED);
        records.settle(1, 0, Outcome.PROCESSED);

        assertEquals(List.of(new MarkerRun(0, 4, 1), new MarkerRun(0, 6, 1)),
                records.skipProcessed(new MarkerRun(0, 0, 8)), "4 is in flight, 6 was released: both need a START");
        assertEquals(List.of(new MarkerRun(1, 1, 1)), records.skipProcessed(new MarkerRun(1, 0, 2)));
        assertEquals(List.of(), records.takeAcknowledged(), "no END left for the skipped records");
        assertEquals(List.of(new MarkerRun(2, 0, 3)), records.skipProcessed(new MarkerRun(2, 0, 3)), "unknown");
        assertEquals(2, records.size());
        assertEquals(Settlement.END_HELD, records.settle(0, 4, Outcome.PROCESSED), "processed after its START");
        assertEquals(List.of(new MarkerRun(0, 4, 1)), records.takeAcknowledged());
    }

    @Test
    void skippingTakesOnlyTheStartedOffsetsOutOfReadyEnds() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(3, 10, 10)), T0, T0.plus(TIMEOUT));
        for (long offset = 10; offset < 20; offset++) {
            records.settle(3, offset, Outcome.PROCESSED);
        }
        assertEquals(List.of(), records.skipProcessed(new MarkerRun(3, 12, 3)), "all processed: no START");
        assertEquals(List.of(new MarkerRun(3, 10, 2), new MarkerRun(3, 15, 5)), records.takeReady(),
                "the ENDs around them are still written");
    }

    @Test
    void acknowledgmentsOfTheAddingThreadTakeNoLockAndAreAppliedBeforeAnythingElse() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 4), new MarkerRun(1, 10, 2)), T0, T0.plus(TIMEOUT));
        assertTrue(records.offerProcessed(0, 0));
        assertTrue(records.offerProcessed(0, 1));
        assertTrue(records.offerProcessed(1, 10));
        assertTrue(records.offerProcessed(1, 11));
        assertEquals(2, records.size(), "applied by size()");
        assertEquals(4, records.count(Outcome.PROCESSED));
        assertEquals(List.of(new MarkerRun(1, 10, 2)), records.takeReady(), "partition 1's run settled in full");
        assertTrue(records.offerProcessed(0, 3));
        assertEquals(Settlement.NOT_IN_FLIGHT, records.settle(0, 3, Outcome.RELEASED),
                "the acknowledgment recorded before is applied first");
        assertEquals(List.of(new MarkerRun(0, 0, 2), new MarkerRun(0, 3, 1)), records.takeAcknowledged());
        assertEquals(1, records.size(), "offset 2 is still in flight");
    }

    @Test
    void anAcknowledgmentRecordedWithoutTheLockForARecordNotInARunGetsAnEndOfItsOwn() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 2)), T0, T0.plus(TIMEOUT));
        assertTrue(records.extend(new MarkerKey(0, 1), T0.plus(TIMEOUT).plus(TIMEOUT)));
        assertTrue(records.offerProcessed(0, 1), "extended: out of its run");
        assertTrue(records.offerProcessed(5, 50), "never handed out");
        assertEquals(List.of(new MarkerRun(0, 1, 1), new MarkerRun(5, 50, 1)), records.takeReady(),
                "written as settle's caller would have written them");
        assertEquals(1, records.size());
    }

    @Test
    void anAcknowledgmentRecordedBeforeARecordIsHandedOutAgainEndsTheOldHandOutOnly() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 3)), T0, T0.plus(TIMEOUT));
        assertTrue(records.offerProcessed(0, 1));
        records.addAll(List.of(new MarkerRun(0, 0, 3)), T0.plusSeconds(1), T0.plus(TIMEOUT).plusSeconds(1));
        assertEquals(3, records.size(), "the new hand-out of offset 1 is in flight");
        assertEquals(Settlement.END_HELD, records.settle(0, 1, Outcome.PROCESSED));
    }

    @Test
    void recordedAcknowledgmentsAreNotCountedAsExpired() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 3)), T0, T0.plus(TIMEOUT));
        assertTrue(records.offerProcessed(0, 0));
        assertTrue(records.offerProcessed(0, 1));
        assertEquals(1, records.expire(T0.plus(TIMEOUT)));
        assertEquals(List.of(new MarkerRun(0, 0, 2)), records.takeReady(), "their ENDs are still written");
    }

    @Test
    void onlyTheSoleAddingThreadRecordsWithoutTheLockAndOnlyWithCoalescedEnds() throws Exception {
        InFlightRecords records = new InFlightRecords(true);
        assertFalse(records.offerProcessed(0, 0), "no thread added records yet");
        records.addAll(List.of(new MarkerRun(0, 0, 4)), T0, T0.plus(TIMEOUT));
        assertFalse(CompletableFuture.supplyAsync(() -> records.offerProcessed(0, 0)).get(30, TimeUnit.SECONDS),
                "another thread");
        assertTrue(records.offerProcessed(0, 0));
        CompletableFuture.runAsync(() -> records.addAll(List.of(new MarkerRun(0, 10, 1)), T0, T0.plus(TIMEOUT)))
                .get(30, TimeUnit.SECONDS);
        assertFalse(records.offerProcessed(0, 1), "a second thread added records: the ring keeps one producer");
        assertEquals(Settlement.END_HELD, records.settle(0, 1, Outcome.PROCESSED));
        assertEquals(3, records.size());

        InFlightRecords uncoalesced = new InFlightRecords(false);
        uncoalesced.addAll(List.of(new MarkerRun(0, 0, 1)), T0, T0.plus(TIMEOUT));
        assertFalse(uncoalesced.offerProcessed(0, 0), "each END is written by the caller");
    }

    @Test
    void aFullRingRefusesAndTheLockedPathAppliesWhatItHolds() {
        InFlightRecords records = new InFlightRecords(true);
        int capacity = InFlightRecords.PENDING_CAPACITY;
        int count = 2 * capacity + 2;
        records.addAll(List.of(new MarkerRun(0, 0, count)), T0, T0.plus(TIMEOUT));
        for (int offset = 0; offset < 2 * capacity; offset += 2) { // every other record: one stretch each
            assertTrue(records.offerProcessed(0, offset));
        }
        assertFalse(records.offerProcessed(0, 2 * capacity), "full");
        assertTrue(records.offerProcessed(0, 2 * capacity - 1), "continues the last stretch: no slot needed");
        assertEquals(Settlement.END_HELD, records.settle(0, 2 * capacity, Outcome.PROCESSED));
        assertEquals(capacity + 2, records.count(Outcome.PROCESSED));
        assertEquals(count - capacity - 2, records.size());
        assertTrue(records.offerProcessed(0, 2 * capacity + 1), "room again");
        assertEquals(count - capacity - 3, records.size());
    }

    @Test
    void aStretchOfRecordedAcknowledgmentsSettlesWhatIsInFlightAndWritesAnEndForTheRest() {
        InFlightRecords records = new InFlightRecords(true);
        records.addAll(List.of(new MarkerRun(0, 0, 6), new MarkerRun(0, 6, 2)), T0, T0.plus(TIMEOUT));
        assertTrue(released(records, 0, 3));
        for (long offset = 0; offset < 8; offset++) {
            assertTrue(records.offerProcessed(0, offset));
        }
        assertTrue(records.offerProcessed(0, 8));
        assertEquals(0, records.size());
        assertEquals(9, records.count(Outcome.PROCESSED));
        assertEquals(List.of(new MarkerRun(0, 0, 9)), records.takeReady(),
                "offset 3 released before (an END of its own, which the runs' either side join); 8, never handed out, "
                        + "continues the last stretch");
    }

    /**
     * The same random hand-outs, acknowledgments (in random order, some twice), releases and extensions applied to
     * two indexes, acknowledging through {@link InFlightRecords#offerProcessed} in one and {@link
     * InFlightRecords#settle} in the other, leave the same records in flight and the same END markers to write.
     */
    @Test
    void recordedAcknowledgmentsEndLikeLockedOnes() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            InFlightRecords recorded = new InFlightRecords(true);
            InFlightRecords locked = new InFlightRecords(true);
            Set<MarkerKey> endsRecorded = new HashSet<>();
            Set<MarkerKey> endsLocked = new HashSet<>();
            long next = 0;
            List<MarkerKey> handedOut = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                int action = random.nextInt(10);
                if (action < 3) {
                    int partition = random.nextInt(2);
                    long first = random.nextInt(4) == 0 && next > 5 ? next - 5 : next; // sometimes handed out again
                    int count = 1 + random.nextInt(8);
                    List<MarkerRun> runs = List.of(new MarkerRun(partition, first, count));
                    recorded.addAll(runs, T0, T0.plus(TIMEOUT));
                    locked.addAll(runs, T0, T0.plus(TIMEOUT));
                    for (int i = 0; i < count; i++) {
                        handedOut.add(new MarkerKey(partition, first + i));
                    }
                    next = Math.max(next, first + count);
                } else if (!handedOut.isEmpty()) {
                    MarkerKey key = handedOut.get(random.nextInt(handedOut.size()));
                    if (action < 8) {
                        assertTrue(recorded.offerProcessed(key.partition(), key.offset()));
                        if (locked.settle(key.partition(), key.offset(), Outcome.PROCESSED) != Settlement.END_HELD) {
                            endsLocked.add(key);
                        }
                    } else if (action == 8) {
                        assertEquals(released(locked, key.partition(), key.offset()),
                                released(recorded, key.partition(), key.offset()), "release of " + key);
                    } else {
                        assertEquals(locked.extend(key, T0.plus(TIMEOUT).plus(TIMEOUT)),
                                recorded.extend(key, T0.plus(TIMEOUT).plus(TIMEOUT)), "extension of " + key);
                    }
                }
                if (random.nextInt(5) == 0) {
                    assertEquals(locked.size(), recorded.size(), "trial " + trial + " step " + step);
                }
            }
            assertEquals(locked.size(), recorded.size());
            assertEquals(locked.count(Outcome.PROCESSED), recorded.count(Outcome.PROCESSED));
            addOffsets(recorded.takeAcknowledged(), endsRecorded);
            addOffsets(locked.takeAcknowledged(), endsLocked);
            assertEquals(endsLocked, endsRecorded, "trial " + trial);
        }
    }

    private static void addOffsets(List<MarkerRun> runs, Set<MarkerKey> offsets) {
        for (MarkerRun run : runs) {
            for (long offset = run.first(); offset <= run.last(); offset++) {
                offsets.add(new MarkerKey(run.partition(), offset));
            }
        }
    }
}
