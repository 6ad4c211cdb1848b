package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kmq.KmqHeaders;
import io.kmq.MarkerKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RedeliveryRecordsTest {

    private static final InflightEntry TIMED_OUT = InflightEntry.started(77, 1077);

    @Test
    void firstRedeliveryAddsCountOriginalOffsetTimestampAndFirstDeliveryTime() {
        Headers headers = RedeliveryRecords.redelivery(record(new RecordHeaders().add("app", bytes("x"))),
                TIMED_OUT);
        assertEquals("1", header(headers, KmqHeaders.REDELIVERY_COUNT));
        assertEquals("42", header(headers, KmqHeaders.ORIGINAL_OFFSET));
        assertEquals("1000", header(headers, KmqHeaders.ORIGINAL_TIMESTAMP));
        assertEquals("77", header(headers, KmqHeaders.FIRST_DELIVERY_TIME));
        assertEquals("x", header(headers, "app"));
    }

    @Test
    void laterRedeliveriesIncrementTheCountAndKeepTheFirstDeliveryFacts() {
        RecordHeaders previous = new RecordHeaders();
        previous.add(KmqHeaders.REDELIVERY_COUNT, bytes("2"));
        previous.add(KmqHeaders.ORIGINAL_OFFSET, bytes("3"));
        previous.add(KmqHeaders.ORIGINAL_TIMESTAMP, bytes("5"));
        previous.add(KmqHeaders.FIRST_DELIVERY_TIME, bytes("7"));
        Headers headers = RedeliveryRecords.redelivery(record(previous), TIMED_OUT);
        assertEquals("3", header(headers, KmqHeaders.REDELIVERY_COUNT));
        assertEquals(1, countOf(headers, KmqHeaders.REDELIVERY_COUNT), "replaced, not appended");
        assertEquals("3", header(headers, KmqHeaders.ORIGINAL_OFFSET));
        assertEquals("5", header(headers, KmqHeaders.ORIGINAL_TIMESTAMP));
        assertEquals("7", header(headers, KmqHeaders.FIRST_DELIVERY_TIME));
        assertEquals("2", header(previous, KmqHeaders.REDELIVERY_COUNT), "the original's headers are not changed");
    }

    @Test
    void deadLetterReasonDependsOnTheActionAndTheCount() {
        Headers once = new RecordHeaders().add(KmqHeaders.REDELIVERY_COUNT, bytes("1"));
        assertEquals(Optional.empty(), RedeliveryRecords.deadLetterReason(TIMED_OUT, once, 2));
        assertEquals(Optional.of("timeout"), RedeliveryRecords.deadLetterReason(TIMED_OUT, once, 1));
        assertEquals(Optional.of("released"), RedeliveryRecords.deadLetterReason(
                TIMED_OUT.due(5, PendingAction.RELEASE), once, 1));
        assertEquals(Optional.of("rejected: nope"), RedeliveryRecords.deadLetterReason(
                TIMED_OUT.rejected(5, "nope"), new RecordHeaders(), 10));
        assertEquals(Optional.of("timeout"), RedeliveryRecords.deadLetterReason(TIMED_OUT, new RecordHeaders(), 0),
                "0 redeliveries allowed: dead-letter at the first timeout");
        assertEquals(Optional.empty(), RedeliveryRecords.deadLetterReason(TIMED_OUT,
                new RecordHeaders().add(KmqHeaders.REDELIVERY_COUNT, bytes("garbage")), 1),
                "an unparseable count counts as 0");
    }

    @Test
    void deadLetterHeadersSayWhyAndWhereFrom() {
        Headers headers = RedeliveryRecords.deadLetter(record(new RecordHeaders().add("app", bytes("x"))),
                TIMED_OUT, "timeout");
        assertEquals("timeout", header(headers, KmqHeaders.DLQ_REASON));
        assertEquals("orders", header(headers, KmqHeaders.ORIGINAL_TOPIC));
        assertEquals("3", header(headers, KmqHeaders.ORIGINAL_PARTITION));
        assertEquals("42", header(headers, KmqHeaders.ORIGINAL_OFFSET));
        assertEquals("0", header(headers, KmqHeaders.REDELIVERY_COUNT));
        assertEquals("77", header(headers, KmqHeaders.FIRST_DELIVERY_TIME));
        assertEquals("x", header(headers, "app"));
    }

    @Test
    void deletedDeadLetterHasOnlyTheTrackersHeaders() {
        Headers headers = RedeliveryRecords.deletedDeadLetter("orders", new MarkerKey(2, 9), TIMED_OUT);
        assertEquals("deleted: offset no longer in the log", header(headers, KmqHeaders.DLQ_REASON));
        assertEquals("2", header(headers, KmqHeaders.ORIGINAL_PARTITION));
        assertEquals("9", header(headers, KmqHeaders.ORIGINAL_OFFSET));
        assertNull(header(headers, KmqHeaders.REDELIVERY_COUNT));
    }

    private static ConsumerRecord<byte[], byte[]> record(Headers headers) {
        return new ConsumerRecord<>("orders", 3, 42, 1000, TimestampType.CREATE_TIME, 1, 1, bytes("k"), bytes("v"),
                headers, Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        return headers.lastHeader(name) == null ? null
                : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static int countOf(Headers headers, String name) {
        int count = 0;
        for (var ignored : headers.headers(name)) {
            count++;
        }
        return count;
    }
}
