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
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-flight state of one task: single entries in {@code inflight} (marker key bytes → {@link InflightEntry}) with
 * their index {@code deadlines} ({@link DeadlineIndex} key → empty), and ranges of offsets started together in a
 * {@link RangeStore}. Invariant: an entry with deadline {@code d} in {@code inflight} has exactly one index key,
 * {@code DeadlineIndex.key(d, key)}, and the index holds nothing else; an offset is in flight in at most one place,
 * a single entry or one live offset of a range. All stores are changelogged and written in the same Streams
 * transaction, so the invariants survive crashes.
 *
 * <p>Range markers have exactly the effect of one START (END) per covered offset, all with the range marker's
 * timestamp, but cost work and state per range: a START_RANGE over offsets nothing tracks becomes one range entry;
 * an END_RANGE removes offsets from the ranges it meets; a per-message marker about a live offset of a range removes
 * it from the range and, unless it ends it, stores its new state as a single entry (it is <em>split out</em>). Only
 * a START_RANGE over offsets already in flight (a client consuming them again) costs per offset: those offsets keep
 * their first start time, so they become single entries.
 */
public final class InflightStore {

    private static final Logger log = LoggerFactory.getLogger(InflightStore.class);
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> inflight;
    private final KeyValueStore<Bytes, byte[]> deadlines;
    private final RangeStore ranges;
    private long count;
    /** At most the earliest deadline in flight ({@link Long#MAX_VALUE} if none): lowered by every put, exact after
     * {@link #refreshEarliestDeadline()}. */
    private long earliestDeadline = Long.MIN_VALUE;

    /**
     * Wraps the stores (restored by the time a processor starts). {@link #count()} is exact once {@link #scan()} has
     * run, which the processor does at start.
     */
    public InflightStore(KeyValueStore<Bytes, byte[]> inflight, KeyValueStore<Bytes, byte[]> deadlines,
                         KeyValueStore<Bytes, byte[]> ranges, KeyValueStore<Bytes, byte[]> rangeDeadlines) {
        this.inflight = inflight;
        this.deadlines = deadlines;
        this.ranges = new RangeStore(ranges, rangeDeadlines);
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
            ranges.put(range, range);
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
                ranges.put(left, old);
            } else {
                ranges.delete(old);
            }
            if (right != null) {
                ranges.put(right, null);
            }
        }
        RangeEntry range = new RangeEntry(first, start.count(),
                DeadlineIndex.plus(timestamp, start.timeout().toMillis()), timestamp, tracked);
        if (range.live() > 0) {
            ranges.put(range, null);
            count += range.live();
            earliestDeadline = Math.min(earliestDeadline, range.deadline());
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
            ranges.put(range, range);
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
        List<KeyValue<Bytes, byte[]>> found = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = inflight.range(storeKey(new MarkerKey(partition, from)),
                storeKey(new MarkerKey(partition, to - 1)))) {
            it.forEachRemaining(found::add);
        }
        for (KeyValue<Bytes, byte[]> next : found) {
            action.accept(MarkerCodec.decodeKey(next.key.get()), InflightEntry.decode(next.value));
        }
    }

    /** Forgets a single entry: removes it and its index key. */
    public void remove(MarkerKey key, InflightEntry current) {
        deadlines.delete(DeadlineIndex.key(current.deadline(), key));
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
        touched.values().stream().filter(Objects::nonNull).forEach(range -> ranges.put(range, range));
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
        if (exclusiveDeadline <= 0) {
            return due;
        }
        List<Bytes> stale = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(DeadlineIndex.lowest(),
                DeadlineIndex.lastBefore(exclusiveDeadline))) {
            while (it.hasNext() && due.size() < limit) {
                Bytes indexKey = it.next().key;
                MarkerKey key = DeadlineIndex.markerKey(indexKey);
                InflightEntry entry = single(key);
                if (entry == null || entry.deadline() != DeadlineIndex.deadline(indexKey)) {
                    stale.add(indexKey);
                } else {
                    due.add(new Due(key, entry, null));
                }
            }
        }
        // cannot happen while the invariant holds; repair rather than stop the stream thread over it
        for (Bytes indexKey : stale) {
            log.warn("Removing deadline index key of {} at {} that has no matching in-flight entry",
                    DeadlineIndex.markerKey(indexKey), DeadlineIndex.deadline(indexKey));
            deadlines.delete(indexKey);
        }
        return due;
    }

    /** The earliest deadline at or after {@code from}, single or range, if any. */
    public OptionalLong firstDeadlineAtOrAfter(long from) {
        OptionalLong single;
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(DeadlineIndex.firstAtOrAfter(from),
                DeadlineIndex.lastBefore(Long.MAX_VALUE))) {
            single = it.hasNext() ? OptionalLong.of(DeadlineIndex.deadline(it.next().key)) : OptionalLong.empty();
        }
        OptionalLong range = ranges.firstDeadlineAtOrAfter(from);
        if (single.isEmpty() || range.isEmpty()) {
            return single.isEmpty() ? range : single;
        }
        return OptionalLong.of(Math.min(single.getAsLong(), range.getAsLong()));
    }

    /**
     * A cheap lower bound of the earliest deadline in flight, {@link Long#MAX_VALUE} if nothing is: every put lowers
     * it, removals leave it (possibly too low) until {@link #refreshEarliestDeadline()}.
     */
    public long earliestDeadline() {
        return earliestDeadline;
    }

    /** Looks the earliest deadline up (two index seeks) and returns it, {@link Long#MAX_VALUE} if none. */
    public long refreshEarliestDeadline() {
        earliestDeadline = firstDeadlineAtOrAfter(0).orElse(Long.MAX_VALUE);
        return earliestDeadline;
    }

    /** How many messages are in flight (exact after the first {@link #scan()}). */
    public long count() {
        return count;
    }

    /** Counts the entries and finds the earliest first start: a full iteration, so called only now and then. */
    public Scan scan() {
        long entries = 0;
        long oldest = Long.MAX_VALUE;
        try (KeyValueIterator<Bytes, byte[]> it = inflight.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                entries++;
                oldest = Math.min(oldest, InflightEntry.decode(next.value).firstStart());
            }
        }
        Scan scan = ranges.scan(new Scan(entries, oldest));
        count = scan.count();
        return scan;
    }

    private InflightEntry single(MarkerKey key) {
        byte[] bytes = inflight.get(storeKey(key));
        return bytes == null ? null : InflightEntry.decode(bytes);
    }

    private void put(MarkerKey key, InflightEntry current, InflightEntry next) {
        earliestDeadline = Math.min(earliestDeadline, next.deadline());
        if (current != null) {
            if (current.deadline() == next.deadline()) {
                inflight.put(storeKey(key), next.encode());
                return;
            }
            deadlines.delete(DeadlineIndex.key(current.deadline(), key));
        } else {
            count++;
        }
        deadlines.put(DeadlineIndex.key(next.deadline(), key), EMPTY);
        inflight.put(storeKey(key), next.encode());
    }

    private static Bytes storeKey(MarkerKey key) {
        return Bytes.wrap(MarkerCodec.encodeKey(key));
    }
}
