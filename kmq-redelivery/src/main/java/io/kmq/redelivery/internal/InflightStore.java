package io.kmq.redelivery.internal;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The in-flight state of one task: single entries ({@link InflightEntry}) and ranges of offsets started together
 * ({@link RangeStore}). Each lives twice: in a changelogged store ({@code inflight}: marker key bytes → entry; and
 * {@code ranges}), which makes it durable and survives crashes, and in memory, ordered by key and indexed by deadline
 * ({@link DeadlineIndex}), which answers every lookup. The memory copy is loaded from the stores when the task starts
 * (after restoration) and every change is written through, in the task's transaction; no marker costs a store read.
 * Invariant: an offset is in flight in at most one place, a single entry or one live offset of a range.
 *
 * <p>Range markers have exactly the effect of one START (END) per covered offset, all with the range marker's
 * timestamp, but cost work and state per range: a START_RANGE over offsets nothing tracks becomes one range entry;
 * an END_RANGE removes offsets from the ranges it meets; a per-message marker about a live offset of a range removes
 * it from the range and, unless it ends it, stores its new state as a single entry (it is <em>split out</em>). Only
 * a START_RANGE over offsets already in flight (a client consuming them again) costs per offset: those offsets keep
 * their first start time, so they become single entries.
 *
 * <p>Memory: roughly 200 bytes per single entry and 100 bytes plus one bit per offset per range.
 */
public final class InflightStore {

    private final KeyValueStore<Bytes, byte[]> inflight;
    private final NavigableMap<MarkerKey, InflightEntry> singles = new TreeMap<>();
    private final DeadlineIndex singleDeadlines = new DeadlineIndex();
    private final RangeStore ranges;
    private long count;

    /** Loads the state of the stores (restored by the time a processor starts). */
    public InflightStore(KeyValueStore<Bytes, byte[]> inflight, KeyValueStore<Bytes, byte[]> ranges) {
        this.inflight = inflight;
        this.ranges = new RangeStore(ranges);
        try (KeyValueIterator<Bytes, byte[]> it = inflight.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null) {
                    MarkerKey key = MarkerCodec.decodeKey(next.key.get());
                    InflightEntry entry = InflightEntry.decode(next.value);
                    singles.put(key, entry);
                    singleDeadlines.add(entry.deadline(), key);
                }
            }
        }
        this.count = scan().count();
    }

    /**
     * A due message: its key and entry, and the first offset of the range it is a live offset of (null for a single
     * entry).
     */
    public record Due(MarkerKey key, InflightEntry entry, MarkerKey range) {
    }

    /** The result of a full scan: how many entries, and the earliest first start ({@link Long#MAX_VALUE} if none). */
    public record Scan(long count, long oldestFirstStart) {
    }

    /** The entry of {@code key}, or null if the message is not in flight. */
    public InflightEntry get(MarkerKey key) {
        InflightEntry single = single(key);
        if (single != null) {
            return single;
        }
        RangeEntry range = ranges.spanning(key);
        return range != null && range.isLive(key.offset()) ? range.entry() : null;
    }

    /**
     * Applies a marker read with {@code timestamp} to the entries of the offsets it covers; see {@link Transitions}.
     *
     * @throws IllegalArgumentException if a range marker would cover offsets past {@link Long#MAX_VALUE}
     */
    public void apply(MarkerKey key, Marker marker, long timestamp) {
        if (marker instanceof Marker.StartRange start) {
            startRange(key, start, timestamp);
        } else if (marker instanceof Marker.EndRange end) {
            endRange(key, end.count());
        } else {
            applyToOne(key, marker, timestamp);
        }
    }

    private void applyToOne(MarkerKey key, Marker marker, long timestamp) {
        InflightEntry current = single(key);
        RangeEntry range = null;
        if (current == null) {
            range = ranges.spanning(key);
            if (range != null && range.isLive(key.offset())) {
                current = range.entry();
            } else {
                range = null;
            }
        }
        Transitions.Outcome outcome = Transitions.apply(current, marker, timestamp);
        if (outcome instanceof Transitions.Keep) {
            return;
        }
        if (range != null) {
            // split out of the range (or ended): the offset leaves it, and the new state, if any, becomes a single
            range.remove(key.offset(), key.offset() + 1);
            ranges.put(range);
            count--;
            current = null;
        }
        if (outcome instanceof Transitions.Put put) {
            put(key, current, put.entry());
        } else if (current != null) {
            remove(key, current);
        }
    }

    /** One START per covered offset: new offsets become one range; offsets in flight keep their first start. */
    private void startRange(MarkerKey first, Marker.StartRange start, long timestamp) {
        long from = first.offset();
        long to = rangeEnd(first, start.count());
        Marker.Start each = new Marker.Start(start.timeout());
        BitSet tracked = new BitSet();
        forEachSingle(first.partition(), from, to, (key, entry) -> {
            tracked.set((int) (key.offset() - from));
            Transitions.Outcome outcome = Transitions.apply(entry, each, timestamp);
            if (outcome instanceof Transitions.Put put) {
                put(key, entry, put.entry());
            }
        });
        for (RangeEntry old : ranges.overlapping(first.partition(), from, to)) {
            old.forEachLive(from, to, offset -> {
                tracked.set((int) (offset - from));
                MarkerKey key = new MarkerKey(first.partition(), offset);
                count--;
                put(key, null, ((Transitions.Put) Transitions.apply(old.entry(), each, timestamp)).entry());
            });
            // keep the parts outside [from, to) as ranges of their own, so spans stay disjoint
            RangeEntry left = old.slice(old.first().offset(), from);
            RangeEntry right = old.slice(to, old.end());
            if (left != null) {
                ranges.put(left);
            } else {
                ranges.delete(old);
            }
            if (right != null) {
                ranges.put(right);
            }
        }
        RangeEntry range = new RangeEntry(first, start.count(),
                DeadlineIndex.plus(timestamp, start.timeout().toMillis()), timestamp, tracked);
        if (range.live() > 0) {
            ranges.put(range);
            count += range.live();
        }
    }

    /** One END per covered offset. */
    private void endRange(MarkerKey first, int rangeCount) {
        long from = first.offset();
        long to = rangeEnd(first, rangeCount);
        forEachSingle(first.partition(), from, to, this::remove);
        for (RangeEntry range : ranges.overlapping(first.partition(), from, to)) {
            int before = range.live();
            range.remove(from, to);
            count -= before - range.live();
            ranges.put(range);
        }
    }

    private static long rangeEnd(MarkerKey first, int rangeCount) {
        if (first.offset() > Long.MAX_VALUE - rangeCount) {
            throw new IllegalArgumentException("range of " + rangeCount + " offsets from " + first
                    + " (expected: the last offset at most Long.MAX_VALUE - 1)");
        }
        return first.offset() + rangeCount;
    }

    private void forEachSingle(int partition, long from, long to,
                               BiConsumer<MarkerKey, InflightEntry> action) {
        // a copy: the action may change the entries
        List<Map.Entry<MarkerKey, InflightEntry>> found = new ArrayList<>(singles.subMap(
                new MarkerKey(partition, from), true, new MarkerKey(partition, to - 1), true).entrySet());
        found.forEach(e -> action.accept(e.getKey(), e.getValue()));
    }

    /** Forgets a single entry. */
    public void remove(MarkerKey key, InflightEntry current) {
        singleDeadlines.remove(current.deadline(), key);
        singles.remove(key);
        inflight.delete(storeKey(key));
        count--;
    }

    /** Forgets handled due messages: single entries are removed, range offsets removed from their ranges. */
    public void forget(List<Due> handled) {
        Map<MarkerKey, RangeEntry> touched = new HashMap<>();
        for (Due due : handled) {
            if (due.range() == null) {
                remove(due.key(), due.entry());
                continue;
            }
            RangeEntry range = touched.computeIfAbsent(due.range(), ranges::get);
            if (range != null && range.isLive(due.key().offset())) {
                range.remove(due.key().offset(), due.key().offset() + 1);
                count--;
            }
        }
        touched.values().stream().filter(Objects::nonNull).forEach(ranges::put);
    }

    /**
     * Up to {@code limit} due messages, single or in ranges, with a deadline before {@code exclusiveDeadline}, earliest
     * first.
     */
    public List<Due> dueBefore(long exclusiveDeadline, int limit) {
        List<Due> due = singlesDueBefore(exclusiveDeadline, limit);
        // ranges come earliest first, and a range's offsets share its deadline: only the first `limit` can make it
        List<Due> fromRanges = new ArrayList<>();
        for (RangeEntry range : ranges.dueBefore(exclusiveDeadline, limit)) {
            InflightEntry entry = range.entry();
            range.forEachLive(range.first().offset(), range.end(), offset -> {
                if (fromRanges.size() < limit) {
                    fromRanges.add(new Due(new MarkerKey(range.first().partition(), offset), entry, range.first()));
                }
            });
        }
        due.addAll(fromRanges);
        due.sort(Comparator.comparingLong((Due d) -> d.entry().deadline()).thenComparing(Due::key));
        return due.size() > limit ? new ArrayList<>(due.subList(0, limit)) : due;
    }

    private List<Due> singlesDueBefore(long exclusiveDeadline, int limit) {
        List<Due> due = new ArrayList<>();
        for (DeadlineIndex.Slot slot : singleDeadlines.before(exclusiveDeadline)) {
            if (due.size() >= limit) {
                break;
            }
            due.add(new Due(slot.key(), singles.get(slot.key()), null));
        }
        return due;
    }

    /** The earliest deadline at or after {@code from}, single or range, if any. */
    public OptionalLong firstDeadlineAtOrAfter(long from) {
        OptionalLong single = singleDeadlines.firstAtOrAfter(from);
        OptionalLong range = ranges.firstDeadlineAtOrAfter(from);
        if (single.isEmpty() || range.isEmpty()) {
            return single.isEmpty() ? range : single;
        }
        return OptionalLong.of(Math.min(single.getAsLong(), range.getAsLong()));
    }

    /** The earliest deadline in flight, {@link Long#MAX_VALUE} if nothing is. */
    public long earliestDeadline() {
        return Math.min(singleDeadlines.earliest(), ranges.earliestDeadline());
    }

    /** How many messages are in flight. */
    public long count() {
        return count;
    }

    /** Counts the entries and finds the earliest first start: an iteration over the memory copy. */
    public Scan scan() {
        long oldest = Long.MAX_VALUE;
        for (InflightEntry entry : singles.values()) {
            oldest = Math.min(oldest, entry.firstStart());
        }
        return ranges.scan(new Scan(singles.size(), oldest));
    }

    private InflightEntry single(MarkerKey key) {
        return singles.get(key);
    }

    private void put(MarkerKey key, InflightEntry current, InflightEntry next) {
        if (current != null) {
            singleDeadlines.move(current.deadline(), next.deadline(), key);
        } else {
            singleDeadlines.add(next.deadline(), key);
            count++;
        }
        singles.put(key, next);
        inflight.put(storeKey(key), next.encode());
    }

    private static Bytes storeKey(MarkerKey key) {
        return Bytes.wrap(MarkerCodec.encodeKey(key));
    }
}
