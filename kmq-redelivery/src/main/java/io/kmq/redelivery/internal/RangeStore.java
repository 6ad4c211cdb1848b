package io.kmq.redelivery.internal;

import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two range stores of one task, kept consistent: {@code ranges} (marker key of the first offset → {@link
 * RangeEntry}) and {@code range-deadlines} ({@link DeadlineIndex} key of the first offset → empty).
 *
 * <p>Invariants: the spans of the stored ranges are disjoint, and each stored range has a live offset and exactly
 * one index key, at its deadline. Marker keys are big-endian with non-negative fields, so byte order is offset
 * order and the range spanning an offset is found with one floor lookup ({@code reverseRange}).
 *
 * <p>Both stores are cached (a range touched by many markers in one commit interval is written once). The cached
 * store's reverse iterator was seen to return a key deleted in the cache with a null value, so iterations skip
 * null values.
 */
final class RangeStore {

    private static final Logger log = LoggerFactory.getLogger(RangeStore.class);
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> ranges;
    private final KeyValueStore<Bytes, byte[]> deadlines;

    RangeStore(KeyValueStore<Bytes, byte[]> ranges, KeyValueStore<Bytes, byte[]> deadlines) {
        this.ranges = ranges;
        this.deadlines = deadlines;
    }

    /** The range stored at {@code first}, or null. */
    RangeEntry get(MarkerKey first) {
        byte[] bytes = ranges.get(key(first));
        return bytes == null ? null : RangeEntry.decode(first, bytes);
    }

    /** The range whose span holds {@code key}'s offset (live or not), or null. */
    RangeEntry spanning(MarkerKey key) {
        try (KeyValueIterator<Bytes, byte[]> it = ranges.reverseRange(key(new MarkerKey(key.partition(), 0)),
                key(key))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null) {
                    RangeEntry range = decode(next);
                    return range.spans(key.offset()) ? range : null;
                }
            }
            return null;
        }
    }

    /** The ranges whose spans meet the offsets {@code from} (inclusive) to {@code to} (exclusive), ascending. */
    List<RangeEntry> overlapping(int partition, long from, long to) {
        List<RangeEntry> found = new ArrayList<>();
        RangeEntry floor = spanning(new MarkerKey(partition, from));
        if (floor != null) {
            found.add(floor);
        }
        if (to - 1 > from) {
            try (KeyValueIterator<Bytes, byte[]> it = ranges.range(key(new MarkerKey(partition, from + 1)),
                    key(new MarkerKey(partition, to - 1)))) {
                it.forEachRemaining(next -> {
                    if (next.value != null) {
                        found.add(decode(next));
                    }
                });
            }
        }
        return found;
    }

    /**
     * Stores {@code range} in place of {@code previous} (the same first offset, or null if none was stored there); a
     * range without live offsets is deleted instead.
     */
    void put(RangeEntry range, RangeEntry previous) {
        if (previous != null && previous.deadline() != range.deadline()) {
            deadlines.delete(DeadlineIndex.key(previous.deadline(), previous.first()));
        }
        if (range.live() == 0) {
            delete(range);
            return;
        }
        if (previous == null || previous.deadline() != range.deadline()) {
            deadlines.put(DeadlineIndex.key(range.deadline(), range.first()), EMPTY);
        }
        ranges.put(key(range.first()), range.encode());
    }

    /** Deletes a stored range and its index key. */
    void delete(RangeEntry range) {
        deadlines.delete(DeadlineIndex.key(range.deadline(), range.first()));
        ranges.delete(key(range.first()));
    }

    /** Ranges with a deadline before {@code exclusiveDeadline}, earliest first, until they hold {@code limit} live offsets. */
    List<RangeEntry> dueBefore(long exclusiveDeadline, int limit) {
        List<RangeEntry> due = new ArrayList<>();
        if (exclusiveDeadline <= 0) {
            return due;
        }
        List<Bytes> stale = new ArrayList<>();
        int offsets = 0;
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(DeadlineIndex.lowest(),
                DeadlineIndex.lastBefore(exclusiveDeadline))) {
            while (it.hasNext() && offsets < limit) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value == null) {
                    continue;
                }
                Bytes indexKey = next.key;
                RangeEntry range = get(DeadlineIndex.markerKey(indexKey));
                if (range == null || range.deadline() != DeadlineIndex.deadline(indexKey)) {
                    stale.add(indexKey);
                } else {
                    due.add(range);
                    offsets += range.live();
                }
            }
        }
        // cannot happen while the invariant holds; repair rather than stop the stream thread over it
        for (Bytes indexKey : stale) {
            log.warn("Removing range deadline index key of {} at {} that has no matching range",
                    DeadlineIndex.markerKey(indexKey), DeadlineIndex.deadline(indexKey));
            deadlines.delete(indexKey);
        }
        return due;
    }

    /** The earliest deadline at or after {@code from}, if any. */
    OptionalLong firstDeadlineAtOrAfter(long from) {
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(DeadlineIndex.firstAtOrAfter(from),
                DeadlineIndex.lastBefore(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null) {
                    return OptionalLong.of(DeadlineIndex.deadline(next.key));
                }
            }
            return OptionalLong.empty();
        }
    }

    /** Adds each range's live offsets and earliest first start to {@code scan}: a full iteration. */
    InflightStore.Scan scan(InflightStore.Scan scan) {
        long live = scan.count();
        long oldest = scan.oldestFirstStart();
        try (KeyValueIterator<Bytes, byte[]> it = ranges.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value == null) {
                    continue;
                }
                RangeEntry range = decode(next);
                live += range.live();
                oldest = Math.min(oldest, range.entry().firstStart());
            }
        }
        return new InflightStore.Scan(live, oldest);
    }

    private static RangeEntry decode(KeyValue<Bytes, byte[]> stored) {
        return RangeEntry.decode(MarkerCodec.decodeKey(stored.key.get()), stored.value);
    }

    private static Bytes key(MarkerKey key) {
        return Bytes.wrap(MarkerCodec.encodeKey(key));
    }
}
