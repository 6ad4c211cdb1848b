package io.kmq.gateway.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last record of each key of one topic, for {@code from: "last"}; at most {@code maxKeys} keys, the least recently
 * updated evicted first. A record without value (a tombstone) removes its key. Not thread-safe: guarded by its
 * {@link TopicFeed}.
 */
final class LastValueCache {

    private final int maxKeys;
    private final LinkedHashMap<String, FeedRecord> values;

    LastValueCache(int maxKeys) {
        this.maxKeys = maxKeys;
        this.values = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FeedRecord> eldest) {
                return size() > LastValueCache.this.maxKeys;
            }
        };
    }

    /** Records {@code record} as the last value of its key (records without key are not kept). */
    void update(FeedRecord record) {
        if (record.key() == null || maxKeys == 0) {
            return;
        }
        values.remove(record.key()); // re-insert: the map's order is the order of last update
        if (!record.payload().isNull()) {
            values.put(record.key(), record);
        }
    }

    /** The last value of {@code key}, or null. */
    FeedRecord get(String key) {
        return values.get(key);
    }

    /** Every last value, least recently updated first. */
    List<FeedRecord> all() {
        return new ArrayList<>(values.values());
    }

    /** How many keys have a last value. */
    int size() {
        return values.size();
    }
}
