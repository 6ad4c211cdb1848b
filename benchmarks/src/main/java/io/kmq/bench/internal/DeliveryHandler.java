package io.kmq.bench.internal;

/** Processes one delivered message for a {@link Receiver}. */
@FunctionalInterface
public interface DeliveryHandler {

    /**
     * Processes a message value delivered at {@code nowNanos} ({@link System#nanoTime()}, taken once per poll).
     *
     * @return true if the message was processed (acknowledge it), false if it was dropped (have it redelivered)
     */
    boolean accept(byte[] value, long nowNanos);
}
