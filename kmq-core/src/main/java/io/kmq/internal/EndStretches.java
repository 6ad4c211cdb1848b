package io.kmq.internal;

import io.kmq.MarkerCodec;
import java.util.ArrayList;
import java.util.BitSet;
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

    /**
     * Takes the offsets {@code first .. last} of {@code partition} out of the stretches (a stretch across either end
     * keeps what lies outside); marks each offset taken in {@code taken}, at index {@code offset - first}.
     */
    void remove(int partition, long first, long last, BitSet taken) {
        if (!lastOfPartition.containsKey(partition)) {
            return;
        }
        List<MarkerRun> kept = new ArrayList<>(stretches.size() + 1);
        lastOfPartition.clear();
        for (MarkerRun stretch : stretches) {
            if (stretch.partition() != partition || stretch.last() < first || stretch.first() > last) {
                keep(kept, stretch);
                continue;
            }
            long from = Math.max(first, stretch.first());
            long to = Math.min(last, stretch.last());
            taken.set((int) (from - first), (int) (to - first) + 1);
            if (stretch.first() < from) {
                keep(kept, new MarkerRun(partition, stretch.first(), (int) (from - stretch.first())));
            }
            if (stretch.last() > to) {
                keep(kept, new MarkerRun(partition, to + 1, (int) (stretch.last() - to)));
            }
        }
        stretches = kept;
    }

    private void keep(List<MarkerRun> kept, MarkerRun stretch) {
        lastOfPartition.put(stretch.partition(), kept.size());
        kept.add(stretch);
    }

    /** The stretches added so far, each where it was started (later merges extend it in place); empties this. */
    List<MarkerRun> take() {
        List<MarkerRun> taken = stretches;
        stretches = new ArrayList<>();
        lastOfPartition.clear();
        return taken;
    }
}
