package io.kmq.internal;

import io.kmq.KmqException;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces acknowledgments into END_RANGE markers. Records are registered in runs handed out together (one run per
 * START_RANGE marker); each acknowledged record is marked in its run, and the acknowledged records are written as one
 * END (single offset) or END_RANGE marker per contiguous stretch, consecutive runs of a partition settled within one
 * interval merged into one stretch ({@link EndStretches}):
 * <ul>
 *   <li>when every record of the run is settled (acknowledged, released or rejected), its markers are ready; the
 *       {@link AckFlusher} thread sends them with the next {@link #flush()}, every {@code kmq.ack.flush.interval.ms},
 *       or as soon as {@value #READY_BATCH} markers are ready ({@link #awaitReady}), so the acknowledging threads never
 *       call the producer and neither wake that thread per record;</li>
 *   <li>acknowledgments of runs not yet settled are written by {@link #flush()} too.</li>
 * </ul>
 * An acknowledgment of a record in no open run (acknowledged before, expired, or from before a rebalance) is written
 * at once as an END marker. Thread-safe; markers are sent outside the lock.
 *
 * <p>Invariant: a record's END is written at most once per hand-out, and only after its acknowledgment; a run leaves
 * the index when all of it is settled or when it expires (after writing what was acknowledged).
 */
public final class AckCoalescer {

    /** How many ready markers wake the flusher before its interval: bounds what waits, and the size of one send. */
    static final int READY_BATCH = 64;

    private final MarkerSender markers;
    private final Map<Integer, TreeMap<Long, OpenRun>> byPartition = new HashMap<>();
    /** Runs with acknowledgments not yet written, in the order they got their first one. */
    private final Set<OpenRun> unwritten = new LinkedHashSet<>();
    /**
     * The run the last acknowledgment found, or null: records are acknowledged mostly in hand-out order, so most
     * lookups hit the same run as the one before. Cleared whenever a run leaves the index.
     */
    private OpenRun lastFound;
    /** Markers of completed runs, to be sent by {@link #sendReady()}. */
    private final EndStretches ready = new EndStretches();
    private int open;
    private boolean stopWaiting;

    /** A coalescer writing through {@code markers}. */
    public AckCoalescer(MarkerSender markers) {
        this.markers = markers;
    }

    private static final class OpenRun {
        final MarkerRun run;
        final Instant expires;
        final BitSet settled;
        final BitSet acknowledged = new BitSet();
        int settledCount;
        /** Whether the run is in {@link #unwritten}. */
        boolean unwritten;

        OpenRun(MarkerRun run, Instant expires) {
            this.run = run;
            this.expires = expires;
            this.settled = new BitSet(run.count());
        }
    }

    /**
     * Registers runs handed out together; they are due for redelivery at {@code expires} unless acknowledged. An open
     * run overlapping a new one (the same records handed out again, after a rebalance) is superseded: what was
     * acknowledged of it is written, the rest is forgotten.
     */
    public void register(List<MarkerRun> runs, Instant expires) {
        EndStretches ends = new EndStretches();
        synchronized (this) {
            for (MarkerRun run : runs) {
                TreeMap<Long, OpenRun> ofPartition = byPartition.computeIfAbsent(run.partition(), p -> new TreeMap<>());
                Long from = ofPartition.floorKey(run.first());
                Iterator<OpenRun> overlapping = ofPartition.subMap(from == null ? run.first() : from, true, run.last(),
                        true).values().iterator();
                while (overlapping.hasNext()) {
                    OpenRun old = overlapping.next();
                    if (old.run.last() >= run.first()) {
                        drain(old, ends);
                        forget(old);
                        overlapping.remove();
                    }
                }
                ofPartition.put(run.first(), new OpenRun(run, expires));
                open++;
            }
        }
        send(ends.take());
    }

    /**
     * The record was processed: its END is written with its run, or at once if it is in no open run.
     *
     * @throws KmqException naming the first record whose marker the producer refused at once
     */
    public void acknowledge(MarkerKey record) {
        if (!settle(record, true)) {
            send(List.of(new MarkerRun(record.partition(), record.offset(), 1)));
        }
    }

    /**
     * The record was released or rejected (the caller writes that marker): it needs no END, and its run may now be
     * complete.
     */
    public void settle(MarkerKey record) {
        settle(record, false);
    }

    /**
     * Writes every acknowledgment not yet written, after the START markers held open (see
     * {@link MarkerSender#flushStarts}): the flusher's regular call bounds how long those wait.
     *
     * @throws KmqException naming the first record whose marker the producer refused at once
     */
    public void flush() {
        markers.flushStarts();
        synchronized (this) {
            for (OpenRun run : unwritten) {
                drain(run, ready);
                run.unwritten = false;
            }
            unwritten.clear();
        }
        sendReady();
    }

    /**
     * Sends the markers of completed runs.
     *
     * @throws KmqException naming the first record whose marker the producer refused at once
     */
    public void sendReady() {
        List<MarkerRun> ends;
        synchronized (this) {
            if (ready.isEmpty()) {
                return;
            }
            ends = ready.take();
        }
        send(ends);
    }

    /**
     * Waits until {@value #READY_BATCH} markers are ready, {@code timeout} passed or {@link #stopWaiting()} was
     * called; returns whether that many are ready.
     */
    public synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.size() < READY_BATCH && !stopWaiting) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return ready.size() >= READY_BATCH;
    }

    /** Makes every current and later {@link #awaitReady} return at once (the flusher is stopping). */
    public synchronized void stopWaiting() {
        stopWaiting = true;
        notifyAll();
    }

    /**
     * Writes what was acknowledged of runs expired at {@code now} and forgets them: the tracker redelivers the rest,
     * and a later acknowledgment of one is written at once as an END marker.
     *
     * @return how many runs expired
     */
    public int expire(Instant now) {
        EndStretches ends = new EndStretches();
        int expired = 0;
        synchronized (this) {
            for (TreeMap<Long, OpenRun> runs : byPartition.values()) {
                Iterator<OpenRun> iterator = runs.values().iterator();
                while (iterator.hasNext()) {
                    OpenRun run = iterator.next();
                    if (!run.expires.isAfter(now)) {
                        drain(run, ends);
                        forget(run);
                        iterator.remove();
                        expired++;
                    }
                }
            }
        }
        send(ends.take());
        return expired;
    }

    /** How many runs are open (not yet settled in full nor expired). */
    public synchronized int openRuns() {
        return open;
    }

    /** Marks the record settled in its run; returns false if it is in no open run. */
    private synchronized boolean settle(MarkerKey record, boolean acknowledged) {
        OpenRun run = find(record);
        if (run == null) {
            return false;
        }
        int index = (int) (record.offset() - run.run.first());
        if (run.settled.get(index)) {
            return true; // settled twice: the first settlement stands
        }
        run.settled.set(index);
        run.settledCount++;
        if (acknowledged) {
            run.acknowledged.set(index);
        }
        if (run.settledCount < run.run.count()) {
            if (acknowledged && !run.unwritten) {
                run.unwritten = true;
                unwritten.add(run);
            }
            return true;
        }
        byPartition.get(run.run.partition()).remove(run.run.first());
        forget(run);
        int before = ready.size();
        drain(run, ready);
        if (before < READY_BATCH && ready.size() >= READY_BATCH) {
            notifyAll();
        }
        return true;
    }

    /** Accounts for a run leaving the index (the caller removes it from there). */
    private void forget(OpenRun run) {
        open--;
        if (run.unwritten) {
            run.unwritten = false;
            unwritten.remove(run);
        }
        if (lastFound == run) {
            lastFound = null;
        }
    }

    private OpenRun find(MarkerKey record) {
        OpenRun last = lastFound;
        if (last != null && last.run.covers(record.partition(), record.offset())) {
            return last;
        }
        TreeMap<Long, OpenRun> runs = byPartition.get(record.partition());
        if (runs == null) {
            return null;
        }
        Map.Entry<Long, OpenRun> candidate = runs.floorEntry(record.offset());
        if (candidate == null || !candidate.getValue().run.covers(record.partition(), record.offset())) {
            return null;
        }
        lastFound = candidate.getValue();
        return lastFound;
    }

    /** Adds the contiguous stretches of acknowledged, unwritten records of {@code run} to {@code ends}; clears them. */
    private static void drain(OpenRun run, EndStretches ends) {
        BitSet acknowledged = run.acknowledged;
        for (int from = acknowledged.nextSetBit(0); from >= 0; from = acknowledged.nextSetBit(from)) {
            int to = acknowledged.nextClearBit(from);
            ends.add(run.run.partition(), run.run.first() + from, to - from);
            from = to;
        }
        acknowledged.clear();
    }

    private void send(List<MarkerRun> ends) {
        KmqException first = null;
        for (MarkerRun end : ends) {
            try {
                markers.sendAsync(end.key(), end.end());
            } catch (KmqException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
