package io.kmq.bench.jmh;

import io.kmq.MarkerKey;
import io.kmq.redelivery.internal.DeadlineIndex;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** The deadline index's key codec: written for every START, read for every due entry. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeadlineIndexBench {

    private final MarkerKey key = new MarkerKey(5, 987_654_321L);
    private final long deadline = 1_795_000_000_000L;
    private final Bytes indexKey = DeadlineIndex.key(deadline, key);

    /** Encoding: deadline, partition, offset into 20 bytes. */
    @Benchmark
    public Bytes encode() {
        return DeadlineIndex.key(deadline, key);
    }

    /** Decoding both parts, as a punctuation does for each due entry. */
    @Benchmark
    public void decode(Blackhole blackhole) {
        blackhole.consume(DeadlineIndex.deadline(indexKey));
        blackhole.consume(DeadlineIndex.markerKey(indexKey));
    }

    /** The scan bound built by every punctuation. */
    @Benchmark
    public Bytes lastBefore() {
        return DeadlineIndex.lastBefore(deadline);
    }
}
