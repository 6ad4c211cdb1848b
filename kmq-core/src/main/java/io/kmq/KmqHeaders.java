package io.kmq;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names of the headers the redelivery tracker adds to redelivered and dead-lettered messages. Every value is a
 * UTF-8 string: numbers in decimal, times as epoch milliseconds.
 */
public final class KmqHeaders {

    /** How many times the message has been redelivered; absent on the first delivery. */
    public static final String REDELIVERY_COUNT = "kmq-redelivery-count";
    /** The offset of the first delivery of the message in its topic. */
    public static final String ORIGINAL_OFFSET = "kmq-original-offset";
    /** The timestamp of the first delivery of the message. */
    public static final String ORIGINAL_TIMESTAMP = "kmq-original-timestamp";
    /** The topic the message was consumed from (dead letters only). */
    public static final String ORIGINAL_TOPIC = "kmq-original-topic";
    /** The partition the message was consumed from (dead letters only). */
    public static final String ORIGINAL_PARTITION = "kmq-original-partition";
    /** When processing of the message first started: the timestamp of its first START marker (dead letters only). */
    public static final String FIRST_DELIVERY_TIME = "kmq-first-delivery-time";
    /** Why the message was dead-lettered: {@code timeout}, {@code rejected: <reason>} or {@code deleted: ...}. */
    public static final String DLQ_REASON = "kmq-dlq-reason";

    private KmqHeaders() {
    }

    /** Encodes a number as a header value. */
    public static byte[] encodeLong(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The last value of a numeric header, or empty if absent or not a decimal number (a header written by someone
     * else is not trusted to be well-formed).
     */
    public static OptionalLong longValue(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** How many times this message has been redelivered: 0 on its first delivery. */
    public static int redeliveryCount(Headers headers) {
        long count = longValue(headers, REDELIVERY_COUNT).orElse(0);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, count));
    }
}
