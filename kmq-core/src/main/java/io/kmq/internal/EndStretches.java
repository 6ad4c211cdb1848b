package io.kmq.internal;

import io.kmq.MarkerCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Acknowledged stretches of offsets waiting to be written as END / END_RANGE markers. A stretch that continues the
 * last one added for its partition is merged into it (up to {@link MarkerCodec#MAX_RANGE_COUNT} offsets), so
 * consecutive runs acknowledged within one flush interval leave as one marker: an END_RANGE ends each offset it
 * covers, whichever START_RANGE started it. Not thread-safe.
 */
final class EndStretches {

    private List<MarkerRun> stretches = new ArrayList<>();
    /** Index in {@link #stretches} of the last stretch of each partition. */
    private final Map<Integer, Integer> lastOfPartition = new HashMap<>();

    /** Adds {@code count} acknowledged offsets of {@code partition} from {@code first}. */
    void add(int partition, long first, int count) {
        Integer last = lastOfPartition.get(partition);
        if (last != null) {
            MarkerRun before = stretches.get(last);
            if (before.last() + 1 == first && (long) before.count() + count <= MarkerCodec.MAX_RANGE_COUNT) {
                stretches.set(last, new MarkerRun(partition, before.first(), before.count() + count));
                return;
            }
        }
        lastOfPartition.put(partition, stretches.size());
        stretches.add(new MarkerRun(partition, first, count));
    }

    /** How many markers the stretches make. */
    int size() {
        return stretches.size();
    }

    /** Whether no stretch waits to be written. */
    boolean isEmpty() {
        return stretches.isEmpty();
    }

    /** The stretches added so far, each where it was started (later merges extend it in place); empties this. */
    List<MarkerRun> take() {
        List<MarkerRun> taken = stretches;
        stretches = new ArrayList<>();
        lastOfPartition.clear();
        return taken;
    }
}
