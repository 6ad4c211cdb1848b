package io.kmq.internal;

import io.kmq.MarkerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The records one client has handed out and not yet seen processed, released or rejected, with when each was handed
 * out. Thread-safe: records are added by the polling thread and removed by any thread.
 *
 * <p>Invariant: insertion order is hand-out order, so the first entry is the oldest; removing an absent record
 * changes nothing, so acknowledging a record twice never corrupts the count.
 */
public final class InFlightRecords {

    private final Map<MarkerKey, Instant> handedOut = new LinkedHashMap<>();
    private boolean wakeUpRequested;

    /** Adds a record handed out at {@code at}; a record already in flight keeps its first time. */
    public synchronized void add(MarkerKey record, Instant at) {
        handedOut.putIfAbsent(record, at);
    }

    /** Removes a record; returns false, changing nothing, if it was not in flight. */
    public synchronized boolean remove(MarkerKey record) {
        boolean removed = handedOut.remove(record) != null;
        if (removed) {
            notifyAll();
        }
        return removed;
    }

    /** How many records are in flight. */
    public synchronized int size() {
        return handedOut.size();
    }

    /** Whether the record is in flight. */
    public synchronized boolean contains(MarkerKey record) {
        return handedOut.containsKey(record);
    }

    /** When the oldest record in flight was handed out, or empty if none is. */
    public synchronized Optional<Instant> oldest() {
        Iterator<Instant> times = handedOut.values().iterator();
        return times.hasNext() ? Optional.of(times.next()) : Optional.empty();
    }

    /**
     * Waits until fewer than {@code limit} records are in flight, at most {@code timeout}, or until
     * {@link #wakeUp()}.
     *
     * @return whether fewer than {@code limit} records are in flight
     */
    public synchronized boolean awaitBelow(int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handedOut.size() >= limit && !wakeUpRequested) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        wakeUpRequested = false;
        return handedOut.size() < limit;
    }

    /** Makes a current or the next {@link #awaitBelow} return at once. */
    public synchronized void wakeUp() {
        wakeUpRequested = true;
        notifyAll();
    }
}
