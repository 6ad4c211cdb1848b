package io.kmq.bench.jmh;

import io.kmq.internal.AckCoalescer;
import io.kmq.internal.AckFlusher;
import io.kmq.internal.InFlightRecords;
import io.kmq.internal.InFlightRecords.Outcome;
import io.kmq.internal.InFlightRecords.Settlement;
import io.kmq.internal.MarkerRun;
import io.kmq.internal.MarkerSender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The client's bookkeeping per acknowledged record with range markers, as {@code KmqClient.processed} does it: a
 * polled batch of {@value #BATCH} records on 8 partitions is registered at hand-out in the in-flight index, then each
 * record, in poll order, leaves it (counted there) with its END held in its run; each completed run yields one
 * END_RANGE marker, sent to a producer that completes at once; or the batch acknowledged with one call. Time per
 * record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcknowledgeBench {

    private static final int BATCH = 500;

    private MockProducer<byte[], byte[]> producer;
    private InFlightRecords inFlight;
    private AckCoalescer acks;
    private PolledBatches polls;
    private AckFlusher flusher;

    /** Whether the client's flusher thread runs beside the acknowledging thread, as it does in a KmqClient. */
    @Param({"true", "false"})
    public boolean withFlusher;

    /** A fresh index and coalescer. */
    @Setup
    public void open() {
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        inFlight = new InFlightRecords(true);
        acks = new AckCoalescer(new MarkerSender(producer, "bench", "bench__markers", true), inFlight);
        polls = new PolledBatches(BATCH, 8, Duration.ofSeconds(30));
        if (withFlusher) {
            flusher = new AckFlusher(acks, Duration.ofMillis(20), "bench-ack-flusher");
        }
    }

    /** Stops the flusher, if one runs. */
    @TearDown
    public void close() {
        if (flusher != null) {
            flusher.close();
        }
    }

    /**
     * One batch registered, each record acknowledged in poll order (on the registering thread, so without the lock,
     * as the polling thread's acknowledgments are), the completed runs' markers sent.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handOutThenAcknowledgeEach() {
        List<MarkerRun> runs = polls.next();
        inFlight.addAll(runs, polls.now(), polls.expires());
        PolledBatches.eachRecord(runs, (partition, offset) -> {
            if (!inFlight.offerProcessed(partition, offset)
                    && inFlight.settle(partition, offset, Outcome.PROCESSED) != Settlement.END_HELD) {
                throw new IllegalStateException("not held: " + partition + "-" + offset);
            }
        });
        acks.sendReady();
        producer.clear(); // the mock keeps every record sent
        return inFlight.size() + inFlight.openRuns();
    }

    /** As above, the batch acknowledged with one call, as {@code KmqClient.processedAll} does it (arrays included). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handOutThenAcknowledgeBatch() {
        List<MarkerRun> runs = polls.next();
        inFlight.addAll(runs, polls.now(), polls.expires());
        int records = runs.stream().mapToInt(MarkerRun::count).sum();
        int[] partitions = new int[records];
        long[] offsets = new long[records];
        int[] next = {0};
        PolledBatches.eachRecord(runs, (partition, offset) -> {
            partitions[next[0]] = partition;
            offsets[next[0]++] = offset;
        });
        for (Settlement settlement : inFlight.settleAll(partitions, offsets, Outcome.PROCESSED)) {
            if (settlement != Settlement.END_HELD) {
                throw new IllegalStateException("not held: " + settlement);
            }
        }
        acks.sendReady();
        producer.clear();
        return inFlight.size() + inFlight.openRuns();
    }
}
