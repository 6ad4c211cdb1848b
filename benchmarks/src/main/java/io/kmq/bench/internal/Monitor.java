package io.kmq.bench.internal;

import io.kmq.bench.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a run from the calling thread until it is done, its receiver stops, or nothing progresses for the idle
 * timeout; samples the counters every sample interval for the rate-over-time chart, and measures the CPU time of the
 * benchmark's JVMs ({@link ProcessTreeCpu}) from when its measured window opens until it ends.
 */
final class Monitor {

    private static final Logger log = LoggerFactory.getLogger(Monitor.class);
    private static final Duration CHECK = Duration.ofMillis(5);

    private final Tally tally;
    private final LongSupplier sent;
    private final BooleanSupplier done;
    private final BooleanSupplier windowOpen;
    private final ReceiverThread receiving;
    private final Duration sampleInterval;
    private final Duration idleTimeout;
    private final List<long[]> samples = new ArrayList<>();
    private boolean timedOut;
    private long cpuAtOpen = -1;
    private long cpuNanos = -1;

    /**
     * @param sent messages acknowledged to the producer so far (the backlog, when pre-populated)
     * @param done       whether the run is complete
     * @param windowOpen whether the measured window has begun (live: at once; pre-populated: at the first delivery)
     */
    Monitor(Tally tally, LongSupplier sent, BooleanSupplier done, BooleanSupplier windowOpen, ReceiverThread receiving,
            Duration sampleInterval, Duration idleTimeout) {
        this.tally = tally;
        this.sent = sent;
        this.done = done;
        this.windowOpen = windowOpen;
        this.receiving = receiving;
        this.sampleInterval = sampleInterval;
        this.idleTimeout = idleTimeout;
    }

    /** Watches until the run is done, its receiver ended, or it stalled ({@link #timedOut()}). */
    void watch() {
        long interval = sampleInterval.toNanos();
        long idle = idleTimeout.toNanos();
        long lastProgress = System.nanoTime();
        long lastCount = -1;
        long nextSample = lastProgress;
        while (true) {
            if (cpuAtOpen < 0 && windowOpen.getAsBoolean()) {
                cpuAtOpen = ProcessTreeCpu.nanos();
            }
            long now = System.nanoTime();
            if (now >= nextSample) {
                sample(now);
                nextSample += interval;
            }
            if (done.getAsBoolean() || !receiving.isAlive()) {
                break;
            }
            long count = tally.deliveries() + tally.primedPartitions() + sent.getAsLong();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > idle) {
                timedOut = true;
                log.warn("no progress for {}: stopping the run with {} messages processed", idleTimeout,
                        tally.distinct());
                break;
            }
            RunExecutor.sleep(CHECK);
        }
        sample(System.nanoTime());
        long cpuAtEnd = cpuAtOpen < 0 ? -1 : ProcessTreeCpu.nanos();
        cpuNanos = cpuAtEnd < 0 ? -1 : cpuAtEnd - cpuAtOpen;
    }

    private void sample(long now) {
        samples.add(new long[] {now, sent.getAsLong(), tally.deliveries(), tally.distinct()});
    }

    /**
     * CPU time of the benchmark's JVMs from the first check that saw the window open (within {@code CHECK} of it) to
     * the end of {@link #watch()}, ns; -1 if the window never opened or the OS does not report CPU time.
     */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Whether the run stalled. */
    boolean timedOut() {
        return timedOut;
    }

    /** The samples taken at or after {@code origin} ({@link System#nanoTime()}), timed from it. */
    List<RunResult.Sample> samples(long origin) {
        List<RunResult.Sample> result = new ArrayList<>();
        for (long[] s : samples) {
            if (s[0] >= origin) {
                result.add(new RunResult.Sample((s[0] - origin) / 1e9, s[1], s[2], s[3]));
            }
        }
        return result;
    }
}
