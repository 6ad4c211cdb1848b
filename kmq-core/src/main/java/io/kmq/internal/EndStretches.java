package io.kmq.internal;

import io.kmq.MarkerCodec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Acknowledged stretches of offsets waiting to be written as END / END_RANGE markers. A stretch that continues or
 * precedes one waiting for its partition is merged into it (up to {@link MarkerCodec#MAX_RANGE_COUNT} offsets), so
 * consecutive runs acknowledged within one flush interval leave as one marker, in whatever order they were: an
 * END_RANGE ends each offset it covers, whichever START_RANGE started it. Not thread-safe.
 */
final class EndStretches {

    /** A stretch being collected: grown in place while later acknowledgments continue or precede it. */
    private static final class Stretch {
        final int partition;
        long first;
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

    /** The stretches, in the order they were started (the order they are taken in). */
    private final List<Stretch> stretches = new ArrayList<>();
    /**
     * The stretches of each partition sorted by first offset; emptied, not dropped, when taken. Acknowledged in
     * offset order, a stretch goes last in its list or continues the last one, so finding its place costs one
     * comparison.
     */
    private final PerPartition<List<Stretch>> byPartition = new PerPartition<>(() -> new ArrayList<>(2));

    /** Adds {@code count} acknowledged offsets of {@code partition} from {@code first}. */
    void add(int partition, long first, int count) {
        List<Stretch> sorted = byPartition.getOrCreate(partition);
        int position = positionIn(sorted, first);
        Stretch before = position > 0 ? sorted.get(position - 1) : null;
        Stretch after = position < sorted.size() ? sorted.get(position) : null;
        boolean continuesBefore = before != null && before.last() + 1 == first && fits(before.count, count);
        boolean precedesAfter = after != null && after.first == first + count && fits(after.count, count);
        if (continuesBefore) {
            before.count += count;
            if (precedesAfter && fits(before.count, after.count)) { // it filled the gap between them
                before.count += after.count;
                sorted.remove(position);
                stretches.remove(after);
            }
        } else if (precedesAfter) {
            after.first = first;
            after.count += count;
        } else {
            Stretch stretch = new Stretch(partition, first, count);
            sorted.add(position, stretch);
            stretches.add(stretch);
        }
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
        List<Stretch> ofPartition = byPartition.get(partition);
        if (ofPartition == null || ofPartition.isEmpty()) {
            return;
        }
        List<Stretch> before = new ArrayList<>(stretches);
        clear();
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

    /** The stretches added so far, each where it was started (later merges grew it in place); empties this. */
    List<MarkerRun> take() {
        List<MarkerRun> taken = new ArrayList<>(stretches.size());
        for (Stretch stretch : stretches) {
            taken.add(new MarkerRun(stretch.partition, stretch.first, stretch.count));
        }
        clear();
        return taken;
    }

    /** Keeps a stretch as it is, merging nothing (it overlaps none kept). */
    private void keep(Stretch stretch) {
        List<Stretch> sorted = byPartition.getOrCreate(stretch.partition);
        sorted.add(positionIn(sorted, stretch.first), stretch);
        stretches.add(stretch);
    }

    private void clear() {
        for (Stretch stretch : stretches) {
            byPartition.get(stretch.partition).clear();
        }
        stretches.clear();
    }

    /** Where a stretch from {@code first} goes in {@code sorted}: after every stretch that starts before it. */
    private static int positionIn(List<Stretch> sorted, long first) {
        int position = sorted.size();
        while (position > 0 && sorted.get(position - 1).first > first) {
            position--;
        }
        return position;
    }

    private static boolean fits(int count, int more) {
        return (long) count + more <= MarkerCodec.MAX_RANGE_COUNT;
    }
}
