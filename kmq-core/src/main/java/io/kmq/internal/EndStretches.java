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

    /** A stretch being collected: grown in place while later acknowledgments continue it. */
    private static final class Stretch {
        final int partition;
        final long first;
        int count;

        Stretch(int partition, long first, int count) {
            this.partition = partition;
            this.first = first;
            this.count = count;
        }

        long last() {
            return first + count - 1;
        }
    }

    private final List<Stretch> stretches = new ArrayList<>();
    /** The last stretch added for each partition. */
    private final Map<Integer, Stretch> lastOfPartition = new HashMap<>();

    /** Adds {@code count} acknowledged offsets of {@code partition} from {@code first}. */
    void add(int partition, long first, int count) {
        Stretch last = lastOfPartition.get(partition);
        if (last != null && last.last() + 1 == first && (long) last.count + count <= MarkerCodec.MAX_RANGE_COUNT) {
            last.count += count;
            return;
        }
        keep(new Stretch(partition, first, count));
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
        List<Stretch> before = new ArrayList<>(stretches);
        stretches.clear();
        lastOfPartition.clear();
        for (Stretch stretch : before) {
            if (stretch.partition != partition || stretch.last() < first || stretch.first > last) {
                keep(stretch);
                continue;
            }
            long from = Math.max(first, stretch.first);
            long to = Math.min(last, stretch.last());
            taken.set((int) (from - first), (int) (to - first) + 1);
            if (stretch.first < from) {
                keep(new Stretch(partition, stretch.first, (int) (from - stretch.first)));
            }
            if (stretch.last() > to) {
                keep(new Stretch(partition, to + 1, (int) (stretch.last() - to)));
            }
        }
    }

    private void keep(Stretch stretch) {
        lastOfPartition.put(stretch.partition, stretch);
        stretches.add(stretch);
    }

    /** The stretches added so far, each where it was started (later merges extended it in place); empties this. */
    List<MarkerRun> take() {
        List<MarkerRun> taken = new ArrayList<>(stretches.size());
        for (Stretch stretch : stretches) {
            taken.add(new MarkerRun(stretch.partition, stretch.first, stretch.count));
        }
        stretches.clear();
        lastOfPartition.clear();
        return taken;
    }
}
