package io.kmq.bench.jmh;

import io.kmq.MarkerKey;
import io.kmq.internal.InFlightRecords;
import io.kmq.internal.MarkerRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The client's in-flight bookkeeping per record, as {@code KmqClient} does it: a polled batch of {@value #BATCH}
 * records on {@value #PARTITIONS} partitions is registered at hand-out, then each record is acknowledged (removed by
 * its key, made from the record as the client does), then the next poll expires what timed out. Time per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InFlightRecordsBench {

    private static final int BATCH = 500;
    private static final int PARTITIONS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private InFlightRecords inFlight;
    private long nextOffset;
    private Instant now;

    /** A fresh index. */
    @Setup
    public void open() {
        inFlight = new InFlightRecords();
        now = Instant.parse("2026-12-03T00:00:00Z");
    }

    /** One batch registered, each of its records acknowledged in poll order, then an expiry pass. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handOutThenAcknowledgeEach() {
        int perPartition = BATCH / PARTITIONS;
        List<MarkerRun> runs = new ArrayList<>(PARTITIONS);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            runs.add(new MarkerRun(partition, nextOffset, perPartition));
        }
        now = now.plusMillis(1);
        inFlight.addAll(runs, now, now.plus(TIMEOUT));
        for (MarkerRun run : runs) {
            for (long offset = run.first(); offset <= run.last(); offset++) {
                inFlight.remove(new MarkerKey(run.partition(), offset));
            }
        }
        nextOffset += perPartition;
        inFlight.expire(now);
        return inFlight.size();
    }
}
