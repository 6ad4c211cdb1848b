package io.kmq.redelivery.internal;

import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ranges of one task: a changelogged {@code ranges} store (marker key of the first offset → {@link RangeEntry})
 * that makes them durable, and an in-memory copy, ordered by first offset and indexed by deadline, that answers every
 * lookup; the copy is loaded from the store when the task starts and every change is written through.
 *
 * <p>Invariants: the spans of the ranges are disjoint, and each range has a live offset and exactly one deadline
 * index slot. The range spanning an offset is found with one floor lookup.
 */
final class RangeStore {

    private final KeyValueStore<Bytes, byte[]> store;
    private final NavigableMap<MarkerKey, RangeEntry> byFirst = new TreeMap<>();
    private final DeadlineIndex deadlines = new DeadlineIndex();

    /** Loads the ranges of {@code store} (restored by the time a processor starts). */
    RangeStore(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null) {
                    RangeEntry range = RangeEntry.decode(MarkerCodec.decodeKey(next.key.get()), next.value);
                    byFirst.put(range.first(), range);
                    deadlines.add(range.deadline(), range.first());
                }
            }
        }
    }

    /**
     * The range starting at {@code first}, or null. The entry is the stored one: after changing it, call
     * {@link #put(RangeEntry)}.
     */
    RangeEntry get(MarkerKey first) {
        return byFirst.get(first);
    }

    /** The range whose span holds {@code key}'s offset (live or not), or null. */
    RangeEntry spanning(MarkerKey key) {
        Map.Entry<MarkerKey, RangeEntry> floor = byFirst.floorEntry(key);
        if (floor == null || floor.getKey().partition() != key.partition()) {
            return null;
        }
        return floor.getValue().spans(key.offset()) ? floor.getValue() : null;
    }

    /** The ranges whose spans meet the offsets {@code from} (inclusive) to {@code to} (exclusive), ascending. */
    List<RangeEntry> overlapping(int partition, long from, long to) {
        List<RangeEntry> found = new ArrayList<>();
        RangeEntry floor = spanning(new MarkerKey(partition, from));
        if (floor != null) {
            found.add(floor);
        }
        if (to - 1 > from) {
            found.addAll(byFirst.subMap(new MarkerKey(partition, from + 1), true,
                    new MarkerKey(partition, to - 1), true).values());
        }
        return found;
    }

    /**
     * Stores {@code range}, replacing the range stored at its first offset, if any (often the same entry, changed in
     * place); a range without live offsets is deleted instead.
     */
    void put(RangeEntry range) {
        RangeEntry stored = byFirst.get(range.first());
        if (range.live() == 0) {
            if (stored != null) {
                delete(stored);
            }
            return;
        }
        if (stored == null || stored.deadline() != range.deadline()) {
            if (stored != null) {
                deadlines.remove(stored.deadline(), stored.first());
            }
            deadlines.add(range.deadline(), range.first());
        }
        byFirst.put(range.first(), range);
        store.put(key(range.first()), range.encode());
    }

    /** Deletes a stored range and its index slot. */
    void delete(RangeEntry range) {
        deadlines.remove(range.deadline(), range.first());
        byFirst.remove(range.first());
        store.delete(key(range.first()));
    }

    /** Ranges with a deadline before {@code exclusiveDeadline}, earliest first, until they hold {@code limit} live offsets. */
    List<RangeEntry> dueBefore(long exclusiveDeadline, int limit) {
        List<RangeEntry> due = new ArrayList<>();
        int offsets = 0;
        for (DeadlineIndex.Slot slot : deadlines.before(exclusiveDeadline)) {
            if (offsets >= limit) {
                break;
            }
            RangeEntry range = byFirst.get(slot.key());
            due.add(range);
            offsets += range.live();
        }
        return due;
    }

    /** The earliest deadline at or after {@code from}, if any. */
    OptionalLong firstDeadlineAtOrAfter(long from) {
        return deadlines.firstAtOrAfter(from);
    }

    /** The earliest deadline of a range, {@link Long#MAX_VALUE} if there is none. */
    long earliestDeadline() {
        return deadlines.earliest();
    }

    /** Adds each range's live offsets and earliest first start to {@code scan}: an iteration over the ranges. */
    InflightStore.Scan scan(InflightStore.Scan scan) {
        long live = scan.count();
        long oldest = scan.oldestFirstStart();
        for (RangeEntry range : byFirst.values()) {
            live += range.live();
            oldest = Math.min(oldest, range.entry().firstStart());
        }
        return new InflightStore.Scan(live, oldest);
    }

    private static Bytes key(MarkerKey key) {
        return Bytes.wrap(MarkerCodec.encodeKey(key));
    }
}
