package io.kmq.bench.jmh;

import io.kmq.internal.InFlightRecords;
import io.kmq.internal.InFlightRecords.Outcome;
import io.kmq.internal.MarkerRun;
import java.time.Duration;
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
 * records on 8 partitions is registered at hand-out, then each record is acknowledged (settled by its partition and
 * offset, without coalesced ENDs), then the next poll expires what timed out. Time per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InFlightRecordsBench {

    private static final int BATCH = 500;

    private InFlightRecords inFlight;
    private PolledBatches polls;

    /** A fresh index. */
    @Setup
    public void open() {
        inFlight = new InFlightRecords();
        polls = new PolledBatches(BATCH, 8, Duration.ofSeconds(30));
    }

    /** One batch registered, each of its records acknowledged in poll order, then an expiry pass. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handOutThenAcknowledgeEach() {
        List<MarkerRun> runs = polls.next();
        inFlight.addAll(runs, polls.now(), polls.expires());
        PolledBatches.eachRecord(runs, (partition, offset) -> inFlight.settle(partition, offset, Outcome.PROCESSED));
        inFlight.expire(polls.now());
        return inFlight.size();
    }
}
