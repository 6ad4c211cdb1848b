package io.kmq.redelivery.internal;

import io.kmq.MarkerKey;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * An in-memory index of the deadlines of one task's entries, ordered by deadline and then marker key, so "everything
 * due before t" is a walk from the start of a sorted set, not a scan of everything. It is rebuilt from the
 * changelogged stores whenever a task starts; the static helpers are the deadline arithmetic of the tracker.
 *
 * <p>Invariant (kept by the owners, {@link InflightStore} and {@link RangeStore}): an entry with deadline {@code d}
 * has exactly one index slot, {@code (d, key)}.
 */
public final class DeadlineIndex {

    /** Orders before every indexed key (those have offsets >= 0): the slots of a deadline start after it. */
    private static final MarkerKey LOWEST_KEY = MarkerKey.tick(0);

    private final NavigableSet<Slot> slots = new TreeSet<>();

    /** One indexed deadline: the entry's deadline and key. */
    public record Slot(long deadline, MarkerKey key) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : key.compareTo(other.key);
        }
    }

    /** Indexes {@code key} at {@code deadline}. */
    public void add(long deadline, MarkerKey key) {
        slots.add(new Slot(deadline, key));
    }

    /** Removes the slot of {@code key} at {@code deadline}, if indexed. */
    public void remove(long deadline, MarkerKey key) {
        slots.remove(new Slot(deadline, key));
    }

    /** Moves {@code key} from deadline {@code from} to {@code to}. */
    public void move(long from, long to, MarkerKey key) {
        if (from != to) {
            remove(from, key);
            add(to, key);
        }
    }

    /** The earliest deadline at or after {@code from}, if any. */
    public OptionalLong firstAtOrAfter(long from) {
        Slot first = slots.ceiling(new Slot(from, LOWEST_KEY));
        return first == null ? OptionalLong.empty() : OptionalLong.of(first.deadline());
    }

    /** The earliest deadline, {@link Long#MAX_VALUE} if the index is empty. */
    public long earliest() {
        return slots.isEmpty() ? Long.MAX_VALUE : slots.first().deadline();
    }

    /** The slots with a deadline before {@code exclusiveDeadline}, earliest first: a view, not to be kept. */
    public Iterable<Slot> before(long exclusiveDeadline) {
        return Collections.unmodifiableNavigableSet(slots.headSet(new Slot(exclusiveDeadline, LOWEST_KEY), false));
    }

    /** How many slots the index holds. */
    public int size() {
        return slots.size();
    }

    /** A deadline as stored: never negative. */
    public static long clamp(long deadline) {
        return Math.max(0, deadline);
    }

    /** {@code timestamp + duration}, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    public static long plus(long timestamp, long durationMs) {
        long sum = timestamp + durationMs;
        return ((timestamp ^ sum) & (durationMs ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
