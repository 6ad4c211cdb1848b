package io.kmq.redelivery.internal;

import io.kmq.KmqHeaders;
import io.kmq.MarkerKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides between redelivery and dead-lettering, and builds the headers of the records the tracker writes, using the
 * names in {@link KmqHeaders}. Headers already set by an earlier redelivery (original offset and timestamp, first
 * delivery time) are kept, so they always describe the first delivery.
 */
public final class RedeliveryRecords {

    /** Dead-letter reason of a message that timed out after its last redelivery. */
    public static final String REASON_TIMEOUT = "timeout";
    /** Dead-letter reason of a message released after its last redelivery. */
    public static final String REASON_RELEASED = "released";
    /** Prefix of the dead-letter reason of a rejected message; the client's reason follows. */
    public static final String REASON_REJECTED_PREFIX = "rejected: ";
    /** Dead-letter reason of a message whose offset the log no longer holds. */
    public static final String REASON_DELETED = "deleted: offset no longer in the log";

    private RedeliveryRecords() {
    }

    /**
     * Why the message must be dead-lettered, or empty if it is to be redelivered.
     *
     * @param entry           the due entry
     * @param headers         the headers of the message as last delivered
     * @param maxRedeliveries {@code KmqConfig.maxRedeliveries()}
     */
    public static Optional<String> deadLetterReason(InflightEntry entry, Headers headers, int maxRedeliveries) {
        if (entry.action() == PendingAction.REJECT) {
            return Optional.of(REASON_REJECTED_PREFIX + entry.reason());
        }
        if (KmqHeaders.redeliveryCount(headers) >= maxRedeliveries) {
            return Optional.of(entry.action() == PendingAction.RELEASE ? REASON_RELEASED : REASON_TIMEOUT);
        }
        return Optional.empty();
    }

    /**
     * The headers of a redelivery: the original's, with the redelivery count incremented and the original offset,
     * timestamp and first delivery time added unless already present.
     */
    public static Headers redelivery(ConsumerRecord<byte[], byte[]> original, InflightEntry entry) {
        Headers headers = copy(original.headers());
        set(headers, KmqHeaders.REDELIVERY_COUNT, KmqHeaders.redeliveryCount(original.headers()) + 1L);
        setIfAbsent(headers, KmqHeaders.ORIGINAL_OFFSET, original.offset());
        setIfAbsent(headers, KmqHeaders.ORIGINAL_TIMESTAMP, original.timestamp());
        setIfAbsent(headers, KmqHeaders.FIRST_DELIVERY_TIME, entry.firstStart());
        return headers;
    }

    /**
     * The headers of a dead letter: the original's, plus the reason, where the message came from, how often it was
     * redelivered and when its processing first started.
     */
    public static Headers deadLetter(ConsumerRecord<byte[], byte[]> original, InflightEntry entry, String reason) {
        Headers headers = copy(original.headers());
        set(headers, KmqHeaders.DLQ_REASON, reason);
        set(headers, KmqHeaders.ORIGINAL_TOPIC, original.topic());
        set(headers, KmqHeaders.ORIGINAL_PARTITION, original.partition());
        setIfAbsent(headers, KmqHeaders.ORIGINAL_OFFSET, original.offset());
        set(headers, KmqHeaders.REDELIVERY_COUNT, KmqHeaders.redeliveryCount(original.headers()));
        setIfAbsent(headers, KmqHeaders.FIRST_DELIVERY_TIME, entry.firstStart());
        return headers;
    }

    /**
     * The headers of the content-less dead letter written for a message the log no longer holds: the reason, where
     * the message was, and when its processing first started.
     */
    public static Headers deletedDeadLetter(String topic, MarkerKey key, InflightEntry entry) {
        Headers headers = new RecordHeaders();
        set(headers, KmqHeaders.DLQ_REASON, REASON_DELETED);
        set(headers, KmqHeaders.ORIGINAL_TOPIC, topic);
        set(headers, KmqHeaders.ORIGINAL_PARTITION, key.partition());
        set(headers, KmqHeaders.ORIGINAL_OFFSET, key.offset());
        set(headers, KmqHeaders.FIRST_DELIVERY_TIME, entry.firstStart());
        return headers;
    }

    private static Headers copy(Headers original) {
        return new RecordHeaders(original.toArray());
    }

    private static void set(Headers headers, String name, long value) {
        headers.remove(name);
        headers.add(name, KmqHeaders.encodeLong(value));
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void setIfAbsent(Headers headers, String name, long value) {
        if (KmqHeaders.longValue(headers, name).isEmpty()) {
            set(headers, name, value);
        }
    }
}
