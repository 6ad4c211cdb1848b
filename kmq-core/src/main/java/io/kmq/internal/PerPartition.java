package io.kmq.internal;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One object per partition number, made the first time it is asked for: an array indexed by partition, not a map, so
 * that a lookup on a hot path boxes nothing and costs one load. Not thread-safe.
 *
 * @param <T> the per-partition objects
 */
final class PerPartition<T> {

    private final Supplier<T> factory;
    private Object[] items = new Object[0];

    PerPartition(Supplier<T> factory) {
        this.factory = factory;
    }

    /** The partition's object, or null if it was never asked for with {@link #getOrCreate}. */
    @SuppressWarnings("unchecked")
    T get(int partition) {
        return partition < items.length ? (T) items[partition] : null;
    }

    /** The partition's object, made if need be. */
    T getOrCreate(int partition) {
        if (partition >= items.length) {
            items = Arrays.copyOf(items, Math.max(partition + 1, 2 * items.length));
        }
        T item = get(partition);
        if (item == null) {
            item = factory.get();
            items[partition] = item;
        }
        return item;
    }
}
