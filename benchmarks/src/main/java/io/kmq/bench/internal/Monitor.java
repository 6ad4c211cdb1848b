package io.kmq.bench.internal;

import io.kmq.bench.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private Map<String, Long> cpuAtOpen;
    private long cpuNanos = -1;
    private Map<String, Double> cpuMsByThreadGroup = Map.of();

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
            if (cpuAtOpen == null && windowOpen.getAsBoolean()) {
                cpuAtOpen = ProcessTreeCpu.byThreadGroup();
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
        if (cpuAtOpen != null && !cpuAtOpen.isEmpty()) {
            measureCpu(cpuAtOpen, ProcessTreeCpu.byThreadGroup());
        }
    }

    private void measureCpu(Map<String, Long> atOpen, Map<String, Long> atEnd) {
        if (atEnd.isEmpty()) {
            return;
        }
        cpuNanos = ProcessTreeCpu.total(atEnd) - ProcessTreeCpu.total(atOpen);
        Map<String, Double> groups = new TreeMap<>();
        atEnd.forEach((group, nanos) -> {
            long used = nanos - atOpen.getOrDefault(group, 0L);
            if (used > 0) { // a group whose threads ended meanwhile lost their time: left out
                groups.put(group, used / 1e6);
            }
        });
        cpuMsByThreadGroup = groups;
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

    /**
     * CPU time per thread group ({@link ProcessTreeCpu#byThreadGroup()}) over the same window as {@link #cpuNanos()},
     * ms; empty if not measured.
     */
    Map<String, Double> cpuMsByThreadGroup() {
        return cpuMsByThreadGroup;
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
