package io.kmq.internal;

import io.kmq.MarkerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The records one client has handed out and not yet seen processed, released or rejected, with when each was handed
 * out and when it expires. Thread-safe: records are added by the polling thread and removed by any thread.
 *
 * <p>A record past its expiry (its message timeout, or the last extension) is the tracker's now: it has been or will
 * be redelivered, so it leaves the count. Without that, a processor that never acknowledges some records would hold
 * the client at {@code kmq.max.in.flight} forever.
 *
 * <p>Invariant: insertion order is hand-out order, so the first entry is the oldest; removing an absent record
 * changes nothing, so acknowledging a record twice never corrupts the count.
 */
public final class InFlightRecords {

    private record Holding(Instant handedOut, Instant expires) {
    }

    private final Map<MarkerKey, Holding> holdings = new LinkedHashMap<>();
    private long expired;
    private boolean wakeUpRequested;

    /** Adds a record handed out at {@code at} that expires at {@code expires}; one already in flight is unchanged. */
    public synchronized void add(MarkerKey record, Instant at, Instant expires) {
        holdings.putIfAbsent(record, new Holding(at, expires));
    }

    /**
     * Adds the records of a batch, all handed out at {@code at} and expiring at {@code expires}, under one lock and
     * with one shared holding; those already in flight are unchanged.
     */
    public synchronized void addAll(List<MarkerKey> records, Instant at, Instant expires) {
        Holding holding = new Holding(at, expires);
        for (MarkerKey record : records) {
            holdings.putIfAbsent(record, holding);
        }
    }

    /** Moves the expiry of a record in flight; returns false, changing nothing, if it is not in flight. */
    public synchronized boolean extend(MarkerKey record, Instant expires) {
        Holding holding = holdings.get(record);
        if (holding == null) {
            return false;
        }
        holdings.put(record, new Holding(holding.handedOut(), expires));
        return true;
    }

    /** Removes a record; returns false, changing nothing, if it was not in flight. */
    public synchronized boolean remove(MarkerKey record) {
        boolean removed = holdings.remove(record) != null;
        if (removed) {
            notifyAll();
        }
        return removed;
    }

    /**
     * Drops the records expired at {@code now}, oldest first, stopping at the first that is not (an extended record
     * at the head delays the expiry of younger ones, never advances it).
     *
     * @return how many were dropped
     */
    public synchronized int expire(Instant now) {
        int dropped = 0;
        Iterator<Holding> iterator = holdings.values().iterator();
        while (iterator.hasNext()) {
            if (iterator.next().expires().isAfter(now)) {
                break;
            }
            iterator.remove();
            dropped++;
        }
        if (dropped > 0) {
            expired += dropped;
            notifyAll();
        }
        return dropped;
    }

    /** How many records expired in flight since this object was created. */
    public synchronized long expiredCount() {
        return expired;
    }

    /** How many records are in flight. */
    public synchronized int size() {
        return holdings.size();
    }

    /** Whether the record is in flight. */
    public synchronized boolean contains(MarkerKey record) {
        return holdings.containsKey(record);
    }

    /** When the oldest record in flight was handed out, or empty if none is. */
    public synchronized Optional<Instant> oldest() {
        Iterator<Holding> iterator = holdings.values().iterator();
        return iterator.hasNext() ? Optional.of(iterator.next().handedOut()) : Optional.empty();
    }

    /**
     * Waits until fewer than {@code limit} records are in flight, at most {@code timeout}, or until
     * {@link #wakeUp()}.
     *
     * @return whether fewer than {@code limit} records are in flight
     */
    public synchronized boolean awaitBelow(int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (holdings.size() >= limit && !wakeUpRequested) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        wakeUpRequested = false;
        return holdings.size() < limit;
    }

    /** Makes a current or the next {@link #awaitBelow} return at once. */
    public synchronized void wakeUp() {
        wakeUpRequested = true;
        notifyAll();
    }
}
