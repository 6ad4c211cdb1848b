package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqHeaders;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * START_RANGE and END_RANGE in the tracker topology: they act exactly like one START (END) per covered offset with
 * the range marker's timestamp, under the same clock rule. Messages 0 to 19 of partition 0 are in the fake log.
 */
class RangeMarkersTopologyTest {

    private final TrackerDriver tracker = new TrackerDriver(3);

    @BeforeEach
    void log() {
        for (long offset = 0; offset < 20; offset++) {
            tracker.message(offset, "m" + offset);
        }
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void everyUnackedOffsetOfARangeIsRedeliveredOnceAfterTheTimeout() {
        tracker.startRange(0, 10, 1000, 0);
        tracker.end(3, 500);
        assertEquals(9, inFlight());

        tracker.wallClockTo(1000);
        assertTrue(tracker.messages.isEmpty(), "nothing is due before the deadline");
        tracker.wallClockTo(3000);

        assertEquals(List.of(0L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L), redeliveredOffsets());
        assertEquals(0, inFlight());
        List<TrackerDriver.Written> ends = tracker.writtenMarkers().stream().filter(w -> !w.isTick()).toList();
        assertEquals(List.of(new TrackerDriver.Written(new MarkerKey(0, 0), new Marker.EndRange(3), ends.get(0)
                        .timestamp()), new TrackerDriver.Written(new MarkerKey(0, 4), new Marker.EndRange(6),
                        ends.get(1).timestamp())), ends,
                "the old deliveries end with one END_RANGE per run of consecutive offsets");
        tracker.wallClockTo(10_000);
        assertTrue(tracker.messages.isEmpty(), "redelivered once");
    }

    @Test
    void partialEndRangeLeavesTheRestInFlight() {
        tracker.startRange(0, 10, 1000, 0);
        tracker.endRange(0, 4, 100);
        tracker.endRange(8, 2, 200);
        assertEquals(4, inFlight());

        tracker.wallClockTo(3000);

        assertEquals(List.of(4L, 5L, 6L, 7L), redeliveredOffsets());
    }

    @Test
    void endRangeCoversSeveralRangesAndSingleStarts() {
        tracker.startRange(0, 5, 1000, 0);
        tracker.start(5, 1000, 10);
        tracker.start(6, 1000, 10);
        tracker.startRange(7, 5, 1000, 20);
        tracker.start(15, 1000, 30);

        tracker.endRange(2, 14, 500);
        assertEquals(2, inFlight());
        tracker.wallClockTo(3000);

        assertEquals(List.of(0L, 1L), redeliveredOffsets());
    }

    @Test
    void totalEndRangeMeansNothingIsRedeliveredAndNoTicks() {
        tracker.startRange(0, 10, 1000, 0);
        tracker.endRange(0, 10, 900);

        tracker.wallClockTo(5000);

        assertTrue(tracker.messages.isEmpty());
        assertTrue(tracker.writtenMarkers().isEmpty());
        assertEquals(0, inFlight());
    }

    @Test
    void perMessageMarkersInsideARangeActOnTheirOffsetOnly() {
        tracker.startRange(0, 10, 1000, 0);
        tracker.end(1, 100);
        tracker.marker(2, new Marker.Release(Duration.ofMillis(100)), 100);
        tracker.marker(3, new Marker.Extend(Duration.ofMillis(3000)), 100);
        tracker.marker(4, new Marker.Reject("bad"), 100);

        tracker.wallClockTo(600);
        assertEquals(List.of(2L), redeliveredOffsets(), "the release is due at 200");
        assertEquals("rejected: bad", header(tracker.deadLetters.readRecord(), KmqHeaders.DLQ_REASON));
        assertEquals(7, inFlight());

        tracker.wallClockTo(2000);
        assertEquals(List.of(0L, 5L, 6L, 7L, 8L, 9L), redeliveredOffsets());

        tracker.wallClockTo(4000);
        assertEquals(List.of(3L), redeliveredOffsets(), "extended to 3100");
        assertTrue(tracker.deadLetters.isEmpty());
        assertEquals(0, inFlight());
    }

    @Test
    void rangeStartedAgainAfterARebalanceGetsTheNewDeadlineAndKeepsTheFirstStart() {
        tracker.startRange(0, 10, 1000, 0);
        tracker.end(2, 100);
        tracker.startRange(5, 10, 1000, 800);  // a second consumer polls 5 to 14 again

        tracker.wallClockTo(1500);
        assertEquals(List.of(0L, 1L, 3L, 4L), redeliveredOffsets(), "0 to 4 keep the old deadline 1000");

        tracker.wallClockTo(3000);
        List<TestRecord<byte[], byte[]>> later = tracker.messages.readRecordsToList();
        assertEquals(10, later.size(), "5 to 14 are due at 1800");
        assertEquals("0", header(later.get(0), KmqHeaders.FIRST_DELIVERY_TIME), "offset 5 first started at 0");
        assertEquals("800", header(later.get(9), KmqHeaders.FIRST_DELIVERY_TIME), "offset 14 first started at 800");
        assertEquals(0, inFlight());
    }

    @Test
    void singleStartInsideARangeRefreshesOnlyItsOffset() {
        tracker.startRange(0, 4, 1000, 0);
        tracker.start(1, 1000, 700);

        tracker.wallClockTo(1300);
        assertEquals(List.of(0L, 2L, 3L), redeliveredOffsets());
        tracker.wallClockTo(2000);
        TestRecord<byte[], byte[]> one = tracker.messages.readRecord();
        assertEquals("m1", new String(one.value(), StandardCharsets.UTF_8));
        assertEquals("0", header(one, KmqHeaders.FIRST_DELIVERY_TIME));
    }

    @Test
    void garbageRangeValuesAreSkippedAndCounted() {
        byte[] key = MarkerCodec.encodeKey(new MarkerKey(0, 0));
        tracker.markers.pipeInput(key, ByteBuffer.allocate(13).put(MarkerCodec.TYPE_START_RANGE).putLong(1000)
                .putInt(0).array(), 1);
        tracker.markers.pipeInput(key, ByteBuffer.allocate(13).put(MarkerCodec.TYPE_START_RANGE).putLong(1000)
                .putInt(MarkerCodec.MAX_RANGE_COUNT + 1).array(), 2);
        tracker.markers.pipeInput(key, ByteBuffer.allocate(13).put(MarkerCodec.TYPE_START_RANGE).putLong(-5)
                .putInt(3).array(), 3);
        tracker.markers.pipeInput(key, new byte[] {MarkerCodec.TYPE_START_RANGE, 0, 0}, 4);
        tracker.markers.pipeInput(key, ByteBuffer.allocate(5).put(MarkerCodec.TYPE_END_RANGE).putInt(-1).array(), 5);
        tracker.markers.pipeInput(MarkerCodec.encodeKey(new MarkerKey(0, Long.MAX_VALUE - 1)),
                MarkerCodec.encodeValue(new Marker.StartRange(Duration.ofSeconds(1), 2)), 6);
        tracker.markers.pipeInput(MarkerCodec.encodeKey(MarkerKey.tick(0)),
                MarkerCodec.encodeValue(new Marker.StartRange(Duration.ofSeconds(1), 2)), 7);
        tracker.startRange(0, 2, 1000, 10);

        tracker.wallClockTo(2000);

        assertEquals(7, tracker.stats.topic(TrackerDriver.TOPIC).skippedMarkers());
        assertEquals(List.of(0L, 1L), redeliveredOffsets());
    }

    private long inFlight() {
        return tracker.stats.topic(TrackerDriver.TOPIC).inFlight();
    }

    private List<Long> redeliveredOffsets() {
        return tracker.messages.readRecordsToList().stream()
                .map(r -> Long.parseLong(header(r, KmqHeaders.ORIGINAL_OFFSET))).toList();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
