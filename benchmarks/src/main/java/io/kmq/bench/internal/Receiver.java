package io.kmq.bench.internal;

import java.time.Duration;

/**
 * One system's consuming side, as the benchmark drives it from a single thread: poll, hand every record to the
 * handler, acknowledge or drop it the system's way. Closing releases every client (and, for kmq, the tracker).
 */
public interface Receiver extends AutoCloseable {

    /**
     * Polls once, waiting up to {@code timeout}, and hands every record to {@code handler} in offset order. Runs stop
     * by no longer calling it (the timeout is short), never by {@code wakeup()}: a wakeup left pending would break the
     * commits that closing makes.
     */
    void poll(Duration timeout, DeliveryHandler handler);

    /** Closes the clients; every close runs even if one fails (the first failure is thrown, the rest suppressed). */
    @Override
    void close();
}
