package io.kmq.bench.jmh;

import io.kmq.MarkerKey;
import io.kmq.redelivery.internal.DeadlineIndex;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The tracker's in-memory deadline index with {@code entries} deadlines indexed: updated for every START and END. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeadlineIndexBench {

    private static final long NOW = 1_795_000_000_000L;

    /** Deadlines indexed before measuring. */
    @Param({"10000", "1000000"})
    public int entries;

    private DeadlineIndex index;
    private long nextOffset;

    /** Fills the index: one deadline per offset, ten per millisecond. */
    @Setup(Level.Trial)
    public void fill() {
        index = new DeadlineIndex();
        for (long offset = 0; offset < entries; offset++) {
            index.add(NOW + offset / 10, new MarkerKey(0, offset));
        }
        nextOffset = entries;
    }

    /** A message starts (its deadline is indexed) and ends (removed again). */
    @Benchmark
    public int addThenRemove() {
        MarkerKey key = new MarkerKey(0, nextOffset);
        long deadline = NOW + nextOffset++ / 10;
        index.add(deadline, key);
        index.remove(deadline, key);
        return index.size();
    }

    /** The question behind every marker read: the earliest deadline. */
    @Benchmark
    public long earliest() {
        return index.earliest();
    }
}
