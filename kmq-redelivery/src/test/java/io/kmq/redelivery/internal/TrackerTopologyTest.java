package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqHeaders;
import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker's clock rule and state transitions, in a TopologyTestDriver with explicit marker timestamps. */
class TrackerTopologyTest {

    private TrackerDriver tracker = new TrackerDriver(3);

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void idlePartitionGetsATickInsteadOfARedeliveryAndTheTickReadBackAllowsIt() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);

        tracker.jumpWallClockTo(5000);

        assertTrue(tracker.messages.isEmpty(), "no redelivery before the partition is read past the deadline");
        List<TrackerDriver.Written> written = tracker.writtenMarkers();
        assertEquals(1, written.size());
        assertTrue(written.get(0).isTick());
        assertEquals(MarkerKey.tick(0), written.get(0).key());

        tracker.jumpWallClockTo(5100);

        TestRecord<byte[], byte[]> redelivered = tracker.messages.readRecord();
        assertEquals("m0", new String(redelivered.value(), StandardCharsets.UTF_8));
        assertEquals(1, KmqHeaders.redeliveryCount(redelivered.headers()));
        assertTrue(tracker.messages.isEmpty());
        assertEquals(List.of(new MarkerKey(0, 0)), tracker.writtenMarkers().stream()
                .filter(w -> w.marker() instanceof Marker.End).map(TrackerDriver.Written::key).toList());
        assertEquals(1, tracker.stats.topic(TrackerDriver.TOPIC).ticks());
    }

    @Test
    void markerStampedAfterTheDeadlineProvesItWithoutATick() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.start(1, 1000, 1001);

        tracker.wallClockTo(1100);

        assertEquals(1, tracker.messages.readRecordsToList().size());
        assertTrue(tracker.writtenMarkers().stream().noneMatch(TrackerDriver.Written::isTick));
    }

    @Test
    void aMarkerProvingADeadlineLeadsToTheRedeliveryAtOnceWithoutAPunctuation() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.start(1, 60_000, 1001);

        assertEquals(1, tracker.messages.readRecordsToList().size(), "acted while processing the marker");
        tracker.wallClockTo(1100);
        assertTrue(tracker.writtenMarkers().stream().noneMatch(TrackerDriver.Written::isTick),
                "the tick scheduled for 1001 is not sent: the marker proved the deadline first");
    }

    @Test
    void anActHeldBackByTheActGapHappensAtTheGapPunctuatorNotTheNextPunctuation() {
        tracker.message(0, "m0");
        tracker.message(1, "m1");
        tracker.start(0, 1000, 0);
        tracker.start(1, 1000, 10);
        tracker.jumpWallClockTo(1005); // the punctuation acts (nothing provably due yet): the act gap starts

        tracker.start(2, 60_000, 1011); // proves both deadlines within the 20 ms act gap: held back

        assertEquals(List.of(), redeliveredValues());
        tracker.jumpWallClockTo(1030); // the act-gap punctuator only (the next punctuation is at 1105)
        assertEquals(List.of("m0", "m1"), redeliveredValues());
    }

    private List<String> redeliveredValues() {
        return tracker.messages.readRecordsToList().stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void markerStampedAtTheDeadlineIsNoProof() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.start(1, 60_000, 1000);

        tracker.jumpWallClockTo(1050);

        assertTrue(tracker.messages.isEmpty(), "observed time 1000 does not prove deadline 1000 has passed");
        assertTrue(tracker.writtenMarkers().get(0).isTick());
        tracker.jumpWallClockTo(1150);
        assertEquals(1, tracker.messages.readRecordsToList().size());
    }

    @Test
    void endReadBeforeTheDeadlineMeansNeverRedeliveredAndNoTicks() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.end(0, 900);

        tracker.wallClockTo(10_000);

        assertTrue(tracker.messages.isEmpty());
        assertTrue(tracker.deadLetters.isEmpty());
        assertTrue(tracker.writtenMarkers().isEmpty());
        assertEquals(0, tracker.stats.topic(TrackerDriver.TOPIC).inFlight());
    }

    @Test
    void nothingIsDueBeforeTheWallClockPassesTheDeadline() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);

        tracker.wallClockTo(1000);

        assertTrue(tracker.messages.isEmpty());
        assertTrue(tracker.writtenMarkers().isEmpty());
        assertEquals(1, tracker.stats.topic(TrackerDriver.TOPIC).inFlight());
    }

    @Test
    void releaseRedeliversAfterTheDelayAndCountsAsAnAttempt() {
        tracker.message(0, "m0");
        tracker.start(0, 60_000, 0);
        tracker.marker(0, new Marker.Release(Duration.ofMillis(500)), 100);

        tracker.start(1, 60_000, 599);
        tracker.wallClockTo(700);
        assertTrue(tracker.messages.isEmpty(), "due at 600");

        tracker.start(2, 60_000, 601);
        tracker.wallClockTo(800);
        assertEquals(1, KmqHeaders.redeliveryCount(tracker.messages.readRecord().headers()));
    }

    @Test
    void rejectDeadLettersWithTheReason() {
        tracker.message(0, "m0");
        tracker.start(0, 60_000, 0);
        tracker.marker(0, new Marker.Reject("bad input"), 100);

        tracker.wallClockTo(1000);

        assertTrue(tracker.messages.isEmpty());
        TestRecord<byte[], byte[]> dead = tracker.deadLetters.readRecord();
        assertEquals("m0", new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals("k0", new String(dead.key(), StandardCharsets.UTF_8));
        assertEquals("rejected: bad input", header(dead.headers(), KmqHeaders.DLQ_REASON));
        assertEquals(TrackerDriver.TOPIC, header(dead.headers(), KmqHeaders.ORIGINAL_TOPIC));
        assertEquals("0", header(dead.headers(), KmqHeaders.ORIGINAL_PARTITION));
        assertEquals("0", header(dead.headers(), KmqHeaders.ORIGINAL_OFFSET));
        assertEquals("0", header(dead.headers(), KmqHeaders.FIRST_DELIVERY_TIME));
        assertEquals(1, tracker.stats.topic(TrackerDriver.TOPIC).deadLetters());
    }

    @Test
    void extendMovesTheDeadline() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.marker(0, new Marker.Extend(Duration.ofMillis(2000)), 900);

        tracker.start(1, 60_000, 1500);
        tracker.wallClockTo(2800);
        assertTrue(tracker.messages.isEmpty(), "due at 2900, not 1000");

        tracker.start(2, 60_000, 2901);
        tracker.wallClockTo(3000);
        assertEquals(1, tracker.messages.readRecordsToList().size());
    }

    @Test
    void timeoutAfterTheLastRedeliveryDeadLetters() {
        tracker.close();
        tracker = new TrackerDriver(2);
        RecordHeaders headers = new RecordHeaders();
        headers.add(KmqHeaders.REDELIVERY_COUNT, "2".getBytes(StandardCharsets.UTF_8));
        headers.add(KmqHeaders.ORIGINAL_OFFSET, "3".getBytes(StandardCharsets.UTF_8));
        headers.add(KmqHeaders.FIRST_DELIVERY_TIME, "7".getBytes(StandardCharsets.UTF_8));
        headers.add("app", "x".getBytes(StandardCharsets.UTF_8));
        tracker.reader.add(TrackerDriver.TOPIC, 0, 9, 123, "k", "twice", headers);
        tracker.start(9, 1000, 50);
        tracker.start(10, 60_000, 1051);

        tracker.wallClockTo(1200);

        assertTrue(tracker.messages.isEmpty());
        Headers dead = tracker.deadLetters.readRecord().headers();
        assertEquals("timeout", header(dead, KmqHeaders.DLQ_REASON));
        assertEquals("2", header(dead, KmqHeaders.REDELIVERY_COUNT));
        assertEquals("3", header(dead, KmqHeaders.ORIGINAL_OFFSET), "the first delivery's offset is kept");
        assertEquals("7", header(dead, KmqHeaders.FIRST_DELIVERY_TIME));
        assertEquals("x", header(dead, "app"));
    }

    @Test
    void deletedOffsetGetsAContentlessDeadLetterAndIsForgotten() {
        tracker.reader.delete(4);
        tracker.start(4, 1000, 0);
        tracker.start(5, 60_000, 1001);

        tracker.wallClockTo(1100);

        TestRecord<byte[], byte[]> dead = tracker.deadLetters.readRecord();
        assertEquals(0, dead.value().length);
        assertEquals("deleted: offset no longer in the log", header(dead.headers(), KmqHeaders.DLQ_REASON));
        assertEquals("4", header(dead.headers(), KmqHeaders.ORIGINAL_OFFSET));
        assertTrue(tracker.writtenMarkers().stream().anyMatch(w -> w.key().equals(new MarkerKey(0, 4))
                && w.marker() instanceof Marker.End));
        assertEquals(1, tracker.stats.topic(TrackerDriver.TOPIC).inFlight());
    }

    @Test
    void unreadableMessageStaysDueAndIsRedeliveredOnceReadable() {
        tracker.message(0, "m0");
        tracker.reader.unavailable(new TopicPartition(TrackerDriver.TOPIC, 0), true);
        tracker.start(0, 1000, 0);
        tracker.start(1, 60_000, 1001);

        tracker.wallClockTo(1300);
        assertTrue(tracker.messages.isEmpty());
        assertEquals(2, tracker.stats.topic(TrackerDriver.TOPIC).inFlight());

        tracker.reader.unavailable(new TopicPartition(TrackerDriver.TOPIC, 0), false);
        tracker.wallClockTo(1400);
        assertEquals(1, tracker.messages.readRecordsToList().size());
    }

    @Test
    void theStreamThreadMayLeaveMarkersUnreadUntilTheEarliestDeadlineCanBeProven() {
        ReadPacing pacing = ReadPacing.ofCurrentThread();
        assertEquals(500, pacing.quietMillis(0, 500), "nothing in flight: the longest wait");

        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        assertEquals(500, pacing.quietMillis(0, 500));
        assertEquals(201, pacing.quietMillis(800, 500), "until the deadline 1000 can be proven");
        assertEquals(0, pacing.quietMillis(1001, 500));

        tracker.end(0, 10);
        assertEquals(500, pacing.quietMillis(1001, 500), "ended: nothing in flight again");
    }

    @Test
    void theStreamThreadReadsAtOnceForASecondAfterAReleaseWasRead() {
        ReadPacing pacing = ReadPacing.ofCurrentThread();
        tracker.message(0, "m0");
        tracker.start(0, 60_000, 0);
        tracker.start(1, 60_000, 0);
        tracker.marker(1, new Marker.Release(Duration.ofMinutes(1)), 5);
        assertEquals(0, pacing.quietMillis(0, 500), "releases come in runs: read the next one at once");

        tracker.jumpWallClockTo(1_000);
        assertEquals(500, pacing.quietMillis(1_000, 500), "a quiet second after the release");
    }

    @Test
    void theStreamThreadReadsAtOnceWhileADueMessageWaitsForAnAct() {
        ReadPacing pacing = ReadPacing.ofCurrentThread();
        tracker.message(0, "m0");
        tracker.reader.unavailable(new TopicPartition(TrackerDriver.TOPIC, 0), true);
        tracker.start(0, 1000, 0);
        tracker.start(1, 60_000, 1001);

        tracker.wallClockTo(1300);
        assertEquals(0, pacing.quietMillis(1300, 500), "offset 0 is provably due and not redelivered yet");

        tracker.reader.unavailable(new TopicPartition(TrackerDriver.TOPIC, 0), false);
        tracker.wallClockTo(1400);
        assertEquals(1, tracker.messages.readRecordsToList().size());
    }

    @Test
    void malformedMarkersAreSkippedAndCountedAndDoNotStopTracking() {
        tracker.message(0, "m0");
        tracker.markers.pipeInput(new byte[] {1, 2, 3}, new byte[] {1}, 10);
        tracker.markers.pipeInput(org.apache.kafka.common.utils.Bytes.wrap(new byte[12]).get(), new byte[] {9}, 20);
        tracker.markers.pipeInput(io.kmq.MarkerCodec.encodeKey(new MarkerKey(3, 0)),
                io.kmq.MarkerCodec.encodeValue(new Marker.End()), 30);
        tracker.markers.pipeInput(null, null, 40);
        tracker.start(0, 1000, 50);
        tracker.start(1, 60_000, 1051);

        tracker.wallClockTo(1200);

        assertEquals(4, tracker.stats.topic(TrackerDriver.TOPIC).skippedMarkers());
        assertEquals(1, tracker.messages.readRecordsToList().size());
    }

    @Test
    void repeatedStartRefreshesTheDeadlineAndKeepsTheFirstStart() {
        tracker.message(0, "m0");
        tracker.start(0, 1000, 0);
        tracker.start(0, 1000, 800);
        tracker.start(1, 60_000, 1500);

        tracker.wallClockTo(1600);
        assertTrue(tracker.messages.isEmpty(), "due at 1800");

        tracker.start(2, 60_000, 1801);
        tracker.wallClockTo(1900);
        assertEquals("0", header(tracker.messages.readRecord().headers(), KmqHeaders.FIRST_DELIVERY_TIME));
    }

    private static String header(Headers headers, String name) {
        return headers.lastHeader(name) == null ? null
                : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
