package io.kmq.bench.jmh;

import io.kmq.internal.MarkerRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The polls of the client benchmarks: each a batch of {@code size} records spread evenly over {@code partitions}, one
 * run per partition continuing where the previous poll stopped, handed out 1 ms after the previous one.
 */
final class PolledBatches {

    private final int partitions;
    private final int perPartition;
    private final Duration timeout;
    private long nextOffset;
    private Instant now = Instant.parse("2026-12-03T00:00:00Z");

    PolledBatches(int size, int partitions, Duration timeout) {
        this.partitions = partitions;
        this.perPartition = size / partitions;
        this.timeout = timeout;
    }

    /** The runs of the next poll; {@link #now()} and {@link #expires()} move to its hand-out. */
    List<MarkerRun> next() {
        List<MarkerRun> runs = new ArrayList<>(partitions);
        for (int partition = 0; partition < partitions; partition++) {
            runs.add(new MarkerRun(partition, nextOffset, perPartition));
        }
        nextOffset += perPartition;
        now = now.plusMillis(1);
        return runs;
    }

    /** When the last batch was handed out. */
    Instant now() {
        return now;
    }

    /** When the last batch expires. */
    Instant expires() {
        return now.plus(timeout);
    }

    /** What a benchmark does with one record, given by partition and offset as the client gets them. */
    @FunctionalInterface
    interface RecordAction {
        void accept(int partition, long offset);
    }

    /** Calls {@code action} with every record of {@code runs}, in poll order. */
    static void eachRecord(List<MarkerRun> runs, RecordAction action) {
        for (MarkerRun run : runs) {
            for (long offset = run.first(); offset <= run.last(); offset++) {
                action.accept(run.partition(), offset);
            }
        }
    }
}
