package io.kmq.redelivery.internal;

import io.kmq.Marker;
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
 * The two stores of one task, kept consistent: {@code inflight} (marker key bytes → {@link InflightEntry}) and
 * {@code deadlines} ({@link DeadlineIndex} key → empty). Invariant: an entry with deadline {@code d} in
 * {@code inflight} has exactly one index key, {@code DeadlineIndex.key(d, key)}, and the index holds nothing else.
 * Both stores are changelogged and written in the same Streams transaction, so the invariant survives crashes.
 */
public final class InflightStore {

    private static final Logger log = LoggerFactory.getLogger(InflightStore.class);
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> inflight;
    private final KeyValueStore<Bytes, byte[]> deadlines;
    private long count;

    /**
     * Wraps the stores (restored by the time a processor starts). {@link #count()} is exact once {@link #scan()} has
     * run, which the processor does at start.
     */
    public InflightStore(KeyValueStore<Bytes, byte[]> inflight, KeyValueStore<Bytes, byte[]> deadlines) {
        this.inflight = inflight;
        this.deadlines = deadlines;
    }

    /** A due message: its key and entry. */
    public record Due(MarkerKey key, InflightEntry entry) {
    }

    /** The result of a full scan: how many entries, and the earliest first start ({@link Long#MAX_VALUE} if none). */
    public record Scan(long count, long oldestFirstStart) {
    }

    /** The entry of {@code key}, or null if the message is not in flight. */
    public InflightEntry get(MarkerKey key) {
        byte[] bytes = inflight.get(storeKey(key));
        return bytes == null ? null : InflightEntry.decode(bytes);
    }

    /** Applies a marker read with {@code timestamp} to its message's entry; see {@link Transitions}. */
    public void apply(MarkerKey key, Marker marker, long timestamp) {
        InflightEntry current = get(key);
        Transitions.Outcome outcome = Transitions.apply(current, marker, timestamp);
        if (outcome instanceof Transitions.Put put) {
            put(key, current, put.entry());
        } else if (outcome instanceof Transitions.Remove) {
            remove(key, current);
        }
    }

    /** Forgets a message: removes its entry and index key. */
    public void remove(MarkerKey key, InflightEntry current) {
        deadlines.delete(DeadlineIndex.key(current.deadline(), key));
        inflight.delete(storeKey(key));
        count--;
    }

    /**
     * Up to {@code limit} entries with a deadline before {@code exclusiveDeadline}, earliest first.
     */
    public List<Due> dueBefore(long exclusiveDeadline, int limit) {
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
                InflightEntry entry = get(key);
                if (entry == null || entry.deadline() != DeadlineIndex.deadline(indexKey)) {
                    stale.add(indexKey);
                } else {
                    due.add(new Due(key, entry));
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

    /** The earliest deadline at or after {@code from}, if any. */
    public OptionalLong firstDeadlineAtOrAfter(long from) {
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(DeadlineIndex.firstAtOrAfter(from),
                DeadlineIndex.lastBefore(Long.MAX_VALUE))) {
            return it.hasNext() ? OptionalLong.of(DeadlineIndex.deadline(it.next().key)) : OptionalLong.empty();
        }
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
        count = entries;
        return new Scan(entries, oldest);
    }

    private void put(MarkerKey key, InflightEntry current, InflightEntry next) {
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
