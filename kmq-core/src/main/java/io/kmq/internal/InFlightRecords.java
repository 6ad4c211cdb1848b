package io.kmq.internal;

import static io.kmq.internal.InFlightRun.bits;
import static io.kmq.internal.InFlightRun.nextClear;
import static io.kmq.internal.InFlightRun.nextSet;

import io.kmq.MarkerKey;
import io.kmq.internal.InFlightRun.Piece;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The records one client has handed out and not yet seen processed, released or rejected, with when each was handed
 * out and when it expires, and, when END markers are coalesced, which acknowledgments are not yet written. Thread-safe:
 * records are added by the polling thread, settled by any thread, and held END markers taken by the flusher thread.
 *
 * <p>Kept per run of up to 64 consecutive offsets handed out together (one object per run, its records' states bits of
 * two longs, not one map entry per record), in an array of runs per partition sorted by offset ({@link SpanIndex}):
 * settling a record is one lookup of its run and a bit set, under one lock, and handing out a run allocates the run
 * alone. A record whose expiry is moved by {@link #extend} leaves its run and is kept on its own.
 *
 * <p><b>Coalesced END markers</b> ({@code coalesceEnds}): an acknowledged record of a run is marked in the run
 * ({@link Settlement#END_HELD}) instead of having its END written at once. When a run leaves the index (settled in
 * full, expired, or handed out again in full) its acknowledged records become <i>ready</i>: one END (single offset) or
 * END_RANGE marker per contiguous stretch, consecutive runs of a partition merged in whatever order they left
 * ({@link EndStretches}), so a hand-out longer than one run still leaves as one END_RANGE.
 * {@link #takeReady} hands those to the writer; {@link #takeAcknowledged} also those of runs still open, so that
 * every acknowledgment is written within the flusher's interval. {@link #awaitReady} wakes the flusher once
 * {@value #READY_BATCH} markers are ready.
 *
 * <p><b>Skipped markers</b> ({@link #skipProcessed}): when a START_RANGE held open by the marker sender is about to be
 * written, the records of it whose END is still held here (acknowledged before the tracker had to know them) are
 * taken out: neither their START nor their END is written.
 *
 * <p>A record past its expiry (its message timeout, or the last extension) is the tracker's now: it has been or will
 * be redelivered, so it leaves the count. Without that, a processor that never acknowledges some records would hold
 * the client at {@code kmq.max.in.flight} forever.
 *
 * <p><b>Acknowledgments by the polling thread</b> ({@link #offerProcessed}, with coalesced ENDs): the thread that
 * adds records, which in the usual loop also acknowledges them, records an acknowledgment in a lock-free ring
 * ({@link PendingAcks}) instead of taking the lock; every other method applies what the ring holds first, under the
 * lock (a stretch of consecutive offsets in flight in one run with a few bit operations), so each sees those
 * acknowledgments as if they had been settled in order. An acknowledgment whose record is no longer in a run
 * (settled before, expired, extended) gets its END ready to be written, as the caller of {@link #settle} would have
 * written it. A lock per record, and the barrier it costs, was a tenth of the polling thread's time when draining a
 * backlog.
 *
 * <p>It also counts how the client settled records ({@link Outcome}), under the same lock.
 *
 * <p>Invariants: the runs of one partition cover disjoint offsets; a record is counted once, from its latest hand-out
 * (handed out again after a rebalance or a failed START, it leaves its older run); settling an absent record changes
 * nothing but the outcome count, so acknowledging a record twice never corrupts the count; a held END is written at
 * most once per hand-out, and only after its acknowledgment.
 */
public final class InFlightRecords {

    /** How many ready markers wake the flusher before its interval: bounds what waits, and the size of one send. */
    static final int READY_BATCH = 64;
    /**
     * Stretches of acknowledgments the polling thread may record without the lock between two calls that apply them
     * (every poll does): a batch acknowledged in poll order takes one per partition; even one acknowledged in no order
     * at all fits while {@code max.poll.records} stays below this.
     */
    static final int PENDING_CAPACITY = 4096;

    /** What the client did with a record, as counted by {@link #settle} and {@link #extend}. */
    public enum Outcome {
        /** Acknowledged: processed. */
        PROCESSED,
        /** Released for redelivery. */
        RELEASED,
        /** Rejected to the dead-letter topic. */
        REJECTED,
        /** Given more time (the record stays in flight). */
        EXTENDED
    }

    /** What {@link #settle} did with a record, and so what marker the caller still writes. */
    public enum Settlement {
        /** Acknowledged in its run: its END is held here and written with the run's (the caller writes nothing). */
        END_HELD,
        /** Removed from flight: the caller writes its marker. */
        SETTLED,
        /** Not in flight (settled before, expired, or never handed out): the caller writes its marker anyway. */
        NOT_IN_FLIGHT
    }

    private record Holding(Instant handedOut, Instant expires) {
    }

    private final boolean coalesceEnds;
    /** The segments of each partition; none for a partition never handed out. */
    private final PerPartition<SpanIndex<InFlightSegment>> byPartition = new PerPartition<>(SpanIndex::new);
    /**
     * Runs with records in flight, in hand-out order, and runs no longer {@link InFlightRun#open} not yet dropped
     * from it (dropped from the head at once, elsewhere once they outnumber the open ones: a run leaving it in the
     * middle would need a search, and an identity hash per run for a set).
     */
    private final ArrayDeque<InFlightRun> runs = new ArrayDeque<>();
    /** How many runs of {@code runs} are open. */
    private int openRuns;
    /** Runs with held ENDs not yet made ready, in the order they got their first one. */
    private final Set<InFlightRun> unwritten = new LinkedHashSet<>();
    /** END markers of runs that left the index, to be taken by {@link #takeReady}. */
    private final EndStretches ready = new EndStretches();
    /** Records whose expiry was moved, out of their runs. */
    private final Map<MarkerKey, Holding> extended = new HashMap<>();
    private final PendingAcks pending = new PendingAcks(PENDING_CAPACITY);
    /** Applies what {@link #pending} gives (one object, not one per drain). */
    private final PendingAcks.Sink applying = this::applyAcknowledgments;
    /** The first thread that added records; null until then. */
    private Thread firstAdder;
    /**
     * The thread whose acknowledgments go through {@link #pending}: the first that added records, as long as no
     * other thread has added any (the ring has one producer for the life of this object); else null.
     */
    private volatile Thread lockFreeAcknowledger;
    private final long[] outcomes = new long[Outcome.values().length];
    private int size;
    private long expired;
    private int waiting;
    private boolean wakeUpRequested;
    private boolean stopWaitingForReady;

    /** An index that writes every marker through its caller ({@link #settle} never holds an END). */
    public InFlightRecords() {
        this(false);
    }

    /** An index that holds the ENDs of acknowledged records in their runs when {@code coalesceEnds}. */
    public InFlightRecords(boolean coalesceEnds) {
        this.coalesceEnds = coalesceEnds;
    }

    /** Adds a record handed out at {@code at} that expires at {@code expires}, as a run of one. */
    public void add(MarkerKey record, Instant at, Instant expires) {
        addAll(List.of(new MarkerRun(record.partition(), record.offset(), 1)), at, expires);
    }

    /**
     * Adds the records of runs handed out together at {@code at}, all expiring at {@code expires}; a record already
     * in flight counts once, from now on with these times.
     */
    public synchronized void addAll(List<MarkerRun> handedOut, Instant at, Instant expires) {
        applyPending();
        Thread adder = Thread.currentThread();
        if (firstAdder == null) {
            firstAdder = adder;
            lockFreeAcknowledger = coalesceEnds ? adder : null;
        } else if (adder != firstAdder) {
            lockFreeAcknowledger = null; // for good: a second producer could race the first on the ring
        }
        for (MarkerRun handed : handedOut) {
            SpanIndex<InFlightSegment> index = byPartition.getOrCreate(handed.partition());
            supersede(index, handed);
            if (!extended.isEmpty()) {
                supersedeExtended(handed);
            }
            for (long first = handed.first(); first <= handed.last(); first += InFlightRun.MAX_RECORDS) {
                int count = (int) Math.min(InFlightRun.MAX_RECORDS, handed.last() - first + 1);
                InFlightRun run = new InFlightRun(handed.partition(), first, count, at, expires);
                index.add(run); // and the likeliest to be acknowledged next on its partition
                runs.addLast(run);
                openRuns++;
            }
            size += handed.count();
        }
    }

    /**
     * Records an acknowledgment ({@link Outcome#PROCESSED}) without taking the lock, if the caller is the thread that
     * adds records (and the only one that ever did), ENDs are coalesced and there is room; it is applied, like
     * {@link #settle}, before anything else this object does next. Returns false, recording nothing, otherwise: the
     * caller then calls {@link #settle}.
     */
    public boolean offerProcessed(int partition, long offset) {
        return Thread.currentThread() == lockFreeAcknowledger && pending.offer(partition, offset);
    }

    /**
     * Applies the acknowledgments recorded by {@link #offerProcessed}, in order: a record in a run has its END held
     * there; one that is not (settled before, expired, extended since) gets a single END ready to be written.
     */
    private void applyPending() {
        if (pending.isEmpty()) {
            return;
        }
        int readyBefore = ready.size();
        int sizeBefore = size;
        pending.drainTo(applying);
        if (size != sizeBefore) {
            notifyWaiting();
        }
        if (readyBefore < READY_BATCH && ready.size() >= READY_BATCH) {
            notifyAll();
        }
    }

    /**
     * Applies the acknowledgments of {@code count} consecutive offsets of a partition from {@code first}: each part
     * in flight in one run is settled with a few bit operations, as {@link #settleLocked} would settle each record;
     * any other offset goes through it.
     */
    private void applyAcknowledgments(int partition, long first, int count) {
        long end = first + count;
        for (long offset = first; offset < end; ) {
            InFlightSegment segment = findSegment(partition, offset);
            int settled = segment == null ? 0 : settleInFull(segment, offset, Math.min(end - 1, segment.last()));
            if (settled > 0) {
                offset += settled;
                continue;
            }
            if (settleLocked(partition, offset, Outcome.PROCESSED) != Settlement.END_HELD) {
                ready.add(partition, offset, 1); // as settle's caller would have written it
            }
            offset++;
        }
    }

    /**
     * Settles the acknowledged offsets of the segment's run from {@code from} up to {@code to} or the first one not in
     * flight, holding their ENDs; returns how many (0 if {@code from} is not in flight, or ENDs are not held).
     */
    private int settleInFull(InFlightSegment segment, long from, long to) {
        InFlightRun run = segment.run();
        if (!coalesceEnds) {
            return 0;
        }
        int count = run.takeUpTo(from, to);
        if (count > 0) {
            int fromIndex = run.indexOf(from);
            run.acknowledged |= bits(fromIndex, fromIndex + count);
            size -= count;
            outcomes[Outcome.PROCESSED.ordinal()] += count;
            afterTaken(run, true);
        }
        return count;
    }

    /**
     * After records left {@code run}: forgets it once nothing is left in flight (its held ENDs become ready), else
     * lists it among the runs with held ENDs not yet written if one was just held.
     */
    private void afterTaken(InFlightRun run, boolean endHeld) {
        if (run.live == 0) {
            unlink(run);
        } else if (endHeld && !run.unwritten) {
            run.unwritten = true;
            unwritten.add(run);
        }
    }

    /**
     * Moves the expiry of a record in flight; returns false, changing nothing but the count of
     * {@link Outcome#EXTENDED}, if it is not in flight.
     */
    public synchronized boolean extend(MarkerKey record, Instant expires) {
        applyPending();
        outcomes[Outcome.EXTENDED.ordinal()]++;
        Holding holding = extended.get(record);
        if (holding != null) {
            extended.put(record, new Holding(holding.handedOut(), expires));
            return true;
        }
        InFlightRun run = find(record.partition(), record.offset());
        if (run == null || !run.take(record.offset())) {
            return false;
        }
        extended.put(record, new Holding(run.handedOut, expires));
        if (run.live == 0) {
            unlink(run);
        }
        return true;
    }

    /**
     * Counts the outcome and removes the record; with coalesced ENDs an acknowledgment ({@link Outcome#PROCESSED}) of
     * a record in a run is held there ({@link Settlement#END_HELD}).
     *
     * @throws IllegalArgumentException for {@link Outcome#EXTENDED}: see {@link #extend}
     */
    public synchronized Settlement settle(int partition, long offset, Outcome outcome) {
        applyPending();
        requireEnding(outcome);
        Settlement settlement = settleLocked(partition, offset, outcome);
        if (settlement != Settlement.NOT_IN_FLIGHT) {
            notifyWaiting();
        }
        return settlement;
    }

    /**
     * {@link #settle} of several records with one outcome under one lock (records processed together); the positions
     * are {@code partitions[i]}, {@code offsets[i]}.
     *
     * @return what was done with each record, in the same order
     * @throws IllegalArgumentException for {@link Outcome#EXTENDED}, or arrays of different lengths
     */
    public synchronized Settlement[] settleAll(int[] partitions, long[] offsets, Outcome outcome) {
        applyPending();
        requireEnding(outcome);
        if (partitions.length != offsets.length) {
            throw new IllegalArgumentException("partitions and offsets : " + partitions.length + " and "
                    + offsets.length + " positions (expected: as many of each)");
        }
        Settlement[] settlements = new Settlement[offsets.length];
        boolean anySettled = false;
        for (int i = 0; i < offsets.length; i++) {
            settlements[i] = settleLocked(partitions[i], offsets[i], outcome);
            anySettled |= settlements[i] != Settlement.NOT_IN_FLIGHT;
        }
        if (anySettled) {
            notifyWaiting();
        }
        return settlements;
    }

    private static void requireEnding(Outcome outcome) {
        if (outcome == Outcome.EXTENDED) {
            throw new IllegalArgumentException("outcome : EXTENDED (expected: one that ends processing; see extend)");
        }
    }

    private Settlement settleLocked(int partition, long offset, Outcome outcome) {
        outcomes[outcome.ordinal()]++;
        Settlement settlement = Settlement.NOT_IN_FLIGHT;
        InFlightRun run = find(partition, offset);
        if (run != null && run.take(offset)) {
            settlement = Settlement.SETTLED;
            if (outcome == Outcome.PROCESSED && coalesceEnds) {
                run.acknowledged |= 1L << run.indexOf(offset);
                settlement = Settlement.END_HELD;
            }
            afterTaken(run, settlement == Settlement.END_HELD);
        } else if (!extended.isEmpty() && extended.remove(new MarkerKey(partition, offset)) != null) {
            settlement = Settlement.SETTLED;
        }
        if (settlement != Settlement.NOT_IN_FLIGHT) {
            size--;
        }
        return settlement;
    }

    /**
     * For a START_RANGE about to be written for {@code started}: forgets the held END of each of its records that is
     * acknowledged already (in a run still in flight, or ready to be written), so that no marker at all is written
     * for those, and returns the stretches of {@code started} whose START must still be written, in offset order
     * (empty when every record is acknowledged; {@code started} itself when none is).
     */
    public synchronized List<MarkerRun> skipProcessed(MarkerRun started) {
        applyPending();
        BitSet skipped = new BitSet(started.count());
        SpanIndex<InFlightSegment> index = byPartition.get(started.partition());
        if (coalesceEnds && index != null) {
            for (InFlightSegment segment : index.overlapping(started.first(), started.last())) {
                skipAcknowledged(segment, started, skipped);
            }
        }
        ready.remove(started.partition(), started.first(), started.last(), skipped);
        if (skipped.isEmpty()) {
            return List.of(started);
        }
        List<MarkerRun> toStart = new ArrayList<>(1);
        for (int from = skipped.nextClearBit(0); from < started.count(); ) {
            int to = skipped.nextSetBit(from);
            to = to < 0 ? started.count() : to;
            toStart.add(new MarkerRun(started.partition(), started.first() + from, to - from));
            from = skipped.nextClearBit(to);
        }
        return toStart;
    }

    /** Clears the held ENDs of the segment's run within {@code started}; marks them in {@code skipped}. */
    private void skipAcknowledged(InFlightSegment segment, MarkerRun started, BitSet skipped) {
        InFlightRun run = segment.run();
        int end = run.indexOf(Math.min(segment.last(), started.last())) + 1;
        int from = nextSet(run.acknowledged, run.indexOf(Math.max(segment.first(), started.first())));
        while (from < end) {
            int to = Math.min(nextClear(run.acknowledged, from), end);
            run.acknowledged &= ~bits(from, to);
            skipped.set((int) (run.first + from - started.first()), (int) (run.first + to - started.first()));
            from = nextSet(run.acknowledged, to);
        }
        if (run.unwritten && run.acknowledged == 0) {
            run.unwritten = false;
            unwritten.remove(run);
        }
    }

    /** How many records were settled or extended with this outcome since this object was created. */
    public synchronized long count(Outcome outcome) {
        applyPending();
        return outcomes[outcome.ordinal()];
    }

    /**
     * Drops the records expired at {@code now}: the runs oldest first, stopping at the first that is not expired (their
     * held ENDs become ready), and every extended record past its own expiry.
     *
     * @return how many records were dropped
     */
    public synchronized int expire(Instant now) {
        applyPending();
        int dropped = 0;
        for (InFlightRun run = oldestOpenRun(); run != null && !run.expires.isAfter(now); run = oldestOpenRun()) {
            dropped += run.live;
            unlink(run);
        }
        if (!extended.isEmpty()) {
            Iterator<Holding> holdings = extended.values().iterator();
            while (holdings.hasNext()) {
                if (!holdings.next().expires().isAfter(now)) {
                    holdings.remove();
                    dropped++;
                }
            }
        }
        if (dropped > 0) {
            size -= dropped;
            expired += dropped;
            notifyWaiting();
        }
        return dropped;
    }

    /** How many records expired in flight since this object was created. */
    public synchronized long expiredCount() {
        applyPending();
        return expired;
    }

    /** How many records are in flight. */
    public synchronized int size() {
        applyPending();
        return size;
    }

    /** How many runs have records in flight. */
    public synchronized int openRuns() {
        applyPending();
        return openRuns;
    }

    /** Whether the record is in flight. */
    public synchronized boolean contains(MarkerKey record) {
        applyPending();
        InFlightRun run = find(record.partition(), record.offset());
        return (run != null && run.holds(record.offset())) || extended.containsKey(record);
    }

    /** When the oldest record in flight was handed out, or empty if none is. */
    public synchronized Optional<Instant> oldest() {
        applyPending();
        InFlightRun oldestRun = oldestOpenRun();
        Instant oldest = oldestRun == null ? null : oldestRun.handedOut;
        for (Holding holding : extended.values()) {
            if (oldest == null || holding.handedOut().isBefore(oldest)) {
                oldest = holding.handedOut();
            }
        }
        return Optional.ofNullable(oldest);
    }

    /** Takes the END markers ready (of runs that left the index); the caller writes them. */
    public synchronized List<MarkerRun> takeReady() {
        applyPending();
        return ready.isEmpty() ? List.of() : ready.take();
    }

    /** Takes every held END, of open runs too, as markers; the caller writes them. */
    public synchronized List<MarkerRun> takeAcknowledged() {
        applyPending();
        for (InFlightRun run : unwritten) {
            drain(run);
            run.unwritten = false;
        }
        unwritten.clear();
        return takeReady();
    }

    /**
     * Waits until {@value #READY_BATCH} markers are ready, {@code timeout} passed or {@link #stopWaitingForReady()}
     * was called; returns whether that many are ready.
     */
    public synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        applyPending();
        while (ready.size() < READY_BATCH && !stopWaitingForReady) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return ready.size() >= READY_BATCH;
    }

    /** Makes every current and later {@link #awaitReady} return at once (the flusher is stopping). */
    public synchronized void stopWaitingForReady() {
        stopWaitingForReady = true;
        notifyAll();
    }

    /**
     * Waits until fewer than {@code limit} records are in flight, at most {@code timeout}, or until
     * {@link #wakeUp()}.
     *
     * @return whether fewer than {@code limit} records are in flight
     */
    public synchronized boolean awaitBelow(int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting++;
        try {
            while (!wakeUpRequested) {
                applyPending();
                if (size < limit) {
                    break;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
        } finally {
            waiting--;
        }
        wakeUpRequested = false;
        return size < limit;
    }

    /** Makes a current or the next {@link #awaitBelow} return at once. */
    public synchronized void wakeUp() {
        wakeUpRequested = true;
        notifyAll();
    }

    /** Wakes {@link #awaitBelow} callers, if any (a notification with none waiting would only cost). */
    private void notifyWaiting() {
        if (waiting > 0) {
            notifyAll();
        }
    }

    /** The run whose indexed offsets include the offset, or null. */
    private InFlightRun find(int partition, long offset) {
        InFlightSegment segment = findSegment(partition, offset);
        return segment == null ? null : segment.run();
    }

    /** The indexed segment that includes the offset, or null. */
    private InFlightSegment findSegment(int partition, long offset) {
        SpanIndex<InFlightSegment> index = byPartition.get(partition);
        return index == null ? null : index.find(offset);
    }

    /** The oldest open run, or null; drops the runs that left the index from the head of {@code runs}. */
    private InFlightRun oldestOpenRun() {
        InFlightRun oldest = runs.peekFirst();
        while (oldest != null && !oldest.open) {
            runs.pollFirst();
            oldest = runs.peekFirst();
        }
        return oldest;
    }

    /**
     * Takes the offsets of {@code handed} out of the runs indexed over them: those runs keep what is left on either
     * side, indexed as pieces; their records in flight in the overlap leave the count (the new run counts them).
     */
    private void supersede(SpanIndex<InFlightSegment> index, MarkerRun handed) {
        for (InFlightSegment segment : index.overlapping(handed.first(), handed.last())) {
            InFlightRun old = segment.run();
            if (!old.open) {
                continue; // its last records were in an earlier segment of this loop: it left the index with them
            }
            index.remove(segment);
            if (segment == old) {
                old.pieces = new ArrayList<>(2);
            } else {
                old.pieces.remove(segment);
            }
            size -= old.takeAll(Math.max(segment.first(), handed.first()), Math.min(segment.last(), handed.last()));
            if (segment.first() < handed.first()) {
                reindex(index, new Piece(segment.first(), handed.first() - 1, old));
            }
            if (segment.last() > handed.last()) {
                reindex(index, new Piece(handed.last() + 1, segment.last(), old));
            }
            if (old.live == 0) {
                unlink(old);
            }
        }
    }

    private static void reindex(SpanIndex<InFlightSegment> index, Piece piece) {
        piece.run.pieces.add(piece);
        index.add(piece);
    }

    /** Drops the extended records that {@code handed} hands out again; the new run counts them. */
    private void supersedeExtended(MarkerRun handed) {
        Iterator<MarkerKey> keys = extended.keySet().iterator();
        while (keys.hasNext()) {
            MarkerKey key = keys.next();
            if (handed.covers(key.partition(), key.offset())) {
                keys.remove();
                size--;
            }
        }
    }

    /** Forgets a run with nothing left in flight. */
    private void unlink(InFlightRun run) {
        run.open = false;
        openRuns--;
        unindex(run);
        if (runs.peekFirst() == run) {
            oldestOpenRun();
        } else if (runs.size() > 2 * openRuns + 64) {
            runs.removeIf(r -> !r.open); // left in the middle, outnumbering the open ones: amortized O(1) per run
        }
    }

    /** Takes the run out of the index; its held ENDs become ready. */
    private void unindex(InFlightRun run) {
        SpanIndex<InFlightSegment> index = byPartition.get(run.partition);
        if (run.pieces == null) {
            index.remove(run);
        } else {
            for (Piece piece : run.pieces) {
                index.remove(piece);
            }
            run.pieces.clear();
        }
        if (run.unwritten) {
            run.unwritten = false;
            unwritten.remove(run);
        }
        if (run.acknowledged != 0) {
            int before = ready.size();
            drain(run);
            if (before < READY_BATCH && ready.size() >= READY_BATCH) {
                notifyAll();
            }
        }
    }

    /** Adds the contiguous stretches of the run's held ENDs to the ready markers; clears them. */
    private void drain(InFlightRun run) {
        long acknowledged = run.acknowledged;
        for (int from = nextSet(acknowledged, 0); from < Long.SIZE; from = nextSet(acknowledged, from)) {
            int to = nextClear(acknowledged, from);
            ready.add(run.partition, run.first + from, to - from);
            from = to;
        }
        run.acknowledged = 0;
    }
}
