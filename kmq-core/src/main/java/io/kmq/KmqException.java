package io.kmq;

import java.util.Optional;

/**
 * A kmq operation failed. When the failure concerns one message, the exception names its topic, partition and offset.
 */
public class KmqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;

    /** A failure that concerns no single message. */
    public KmqException(String message, Throwable cause) {
        super(message, cause);
        this.topic = null;
        this.partition = -1;
        this.offset = -1;
    }

    /** A failure that concerns no single message. */
    public KmqException(String message) {
        this(message, (Throwable) null);
    }

    /** A failure that concerns the message at {@code topic}/{@code partition}/{@code offset}. */
    public KmqException(String message, String topic, int partition, long offset, Throwable cause) {
        super(message + " [topic=" + topic + ", partition=" + partition + ", offset=" + offset + "]", cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** The topic of the message concerned, if the failure concerns one. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    /** The partition of the message concerned, or -1. */
    public int partition() {
        return partition;
    }

    /** The offset of the message concerned, or -1. */
    public long offset() {
        return offset;
    }
}
