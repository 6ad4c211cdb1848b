package io.kmq.internal;

import java.time.Instant;
import java.util.List;

/**
 * At most {@value #MAX_RECORDS} records of one partition handed out together (a longer stretch is kept as several
 * parts), as {@link InFlightRecords} keeps them: which of them are gone and which have their END held fit in a long
 * each. Not thread-safe: guarded by the {@link InFlightRecords} that holds it.
 */
final class InFlightRun extends InFlightSegment {
    static final int MAX_RECORDS = Long.SIZE;

    final int partition;
    final long first;
    final int count;
    final Instant handedOut;
    final Instant expires;
    /** Bit {@code i} set: offset {@code first + i} is no longer in flight in this run. */
    long gone;
    /** Bit {@code i} set: offset {@code first + i} was acknowledged and its END is held, not yet written. */
    long acknowledged;
    /** What is indexed in place of the whole run once some of its offsets were handed out again; else null. */
    List<Piece> pieces;
    int live;
    /** Whether the run is in {@code InFlightRecords.unwritten}. */
    boolean unwritten;
    /** Whether the run has records in flight: false once it left the index (it may still be in the hand-out order). */
    boolean open = true;

    InFlightRun(int partition, long first, int count, Instant handedOut, Instant expires) {
        this.partition = partition;
        this.first = first;
        this.count = count;
        this.handedOut = handedOut;
        this.expires = expires;
        this.live = count;
    }

    @Override
    public long first() {
        return first;
    }

    @Override
    public long last() {
        return first + count - 1;
    }

    @Override
    InFlightRun run() {
        return this;
    }

    int indexOf(long offset) {
        return (int) (offset - first);
    }

    /** Marks the offset gone; returns whether it was in flight in this run. */
    boolean take(long offset) {
        long bit = 1L << indexOf(offset);
        if ((gone & bit) != 0) {
            return false;
        }
        gone |= bit;
        live--;
        return true;
    }

    /**
     * Marks the offsets {@code from .. to} gone, stopping before the first already gone; returns how many were
     * marked (0 if {@code from} is gone).
     */
    int takeUpTo(long from, long to) {
        int fromIndex = indexOf(from);
        int toIndex = Math.min(indexOf(to) + 1, nextSet(gone, fromIndex));
        if (toIndex <= fromIndex) {
            return 0;
        }
        gone |= bits(fromIndex, toIndex);
        live -= toIndex - fromIndex;
        return toIndex - fromIndex;
    }

    /** Marks the offsets {@code from .. to} gone; returns how many of them were in flight in this run. */
    int takeAll(long from, long to) {
        long taken = bits(indexOf(from), indexOf(to) + 1) & ~gone;
        gone |= taken;
        live -= Long.bitCount(taken);
        return Long.bitCount(taken);
    }

    boolean holds(long offset) {
        return (gone & (1L << indexOf(offset))) == 0;
    }

    /** The bits {@code from} (inclusive) to {@code to} (exclusive) of a long; {@code 0 <= from <= to <= 64}. */
    static long bits(int from, int to) {
        return from == to ? 0 : (-1L >>> (Long.SIZE - (to - from))) << from;
    }

    /** The first bit set in {@code word} at or after {@code from}, or 64 if none. */
    static int nextSet(long word, int from) {
        return from >= Long.SIZE ? Long.SIZE : Long.numberOfTrailingZeros(word & (-1L << from));
    }

    /** The first bit clear in {@code word} at or after {@code from}, or 64 if none. */
    static int nextClear(long word, int from) {
        return nextSet(~word, from);
    }

    /** The offsets {@code first .. last} of a run indexed in its place; a run superseded in its middle has two. */
    static final class Piece extends InFlightSegment {
        final long first;
        final long last;
        final InFlightRun run;

        Piece(long first, long last, InFlightRun run) {
            this.first = first;
            this.last = last;
            this.run = run;
        }

        @Override
        public long first() {
            return first;
        }

        @Override
        public long last() {
            return last;
        }

        @Override
        InFlightRun run() {
            return run;
        }
    }
}
