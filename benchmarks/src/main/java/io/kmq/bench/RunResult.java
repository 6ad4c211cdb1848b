package io.kmq.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one run of one system in one scenario measured.
 *
 * @param scenario      the scenario
 * @param system        the system
 * @param round         1-based round of the measured runs; 0 for the warm-up
 * @param sent          messages the broker acknowledged to the producer (the backlog, when pre-populated)
 * @param received      deliveries handed to the application, dropped ones and duplicates included
 * @param processed     distinct messages processed
 * @param duplicates    deliveries of messages processed before
 * @param dropped       deliveries dropped on purpose (drop scenario)
 * @param lost          sent messages never processed: {@code max(0, sent - processed)}
 * @param elapsedSeconds the measured window: from the first send (live) or the first delivery (pre-populated) to the
 *                      last new message processed
 * @param msgsPerS      {@code processed / elapsedSeconds}; 0 if nothing was processed
 * @param startupMs     from creating the receiver until it consumed (live: all priming messages; pre-populated: the
 *                      first message): group join, and for kmq the tracker start
 * @param receiverCpuMs CPU time of the thread that polled and processed, over its whole loop (start-up and the idle
 *                      polls after the window included), ms; -1 where the JVM does not measure thread CPU time
 * @param cpuMs         CPU time of every JVM of the benchmark (this one, and the broker and tracker JVMs it started)
 *                      over the measured window (until the run was seen complete), ms; -1 where not measured
 * @param cpuMsByThreadGroup the part of {@code cpuMs} each group of threads used, ms, keyed {@code process:thread}
 *                      (process {@code bench}, {@code broker} or {@code tracker}; the thread's name as the OS knows
 *                      it, numbers as {@code #}); empty where not measured
 * @param markers       offsets written to the run's markers topic (kmq and original), counted after the receiver
 *                      closed; -1 for the other systems or if not counted
 * @param latencyMicros end-to-end latency of each message's first processing, µs; null when not meaningful
 * @param samples       the counters over time, every sample interval of the measured window
 * @param timedOut      whether the run stopped because nothing progressed for the idle timeout
 * @param error         why the run failed, or null
 */
public record RunResult(Scenario scenario, SystemKind system, int round, long sent, long received, long processed,
                        long duplicates, long dropped, long lost, double elapsedSeconds, double msgsPerS,
                        double startupMs, double receiverCpuMs, double cpuMs, Map<String, Double> cpuMsByThreadGroup,
                        long markers, Histogram latencyMicros, List<Sample> samples, boolean timedOut, String error) {

    /** How the thread groups of HotSpot's JIT compilers (C1 and C2 CompilerThread0, ...) begin, after the process. */
    public static final String JIT_THREAD_GROUP = "C# CompilerThre";

    /** Checks the references and copies the samples and the CPU time per thread group. */
    public RunResult {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(system, "system");
        samples = List.copyOf(samples);
        cpuMsByThreadGroup = Map.copyOf(cpuMsByThreadGroup);
    }

    /** Whether this was the warm-up (not reported). */
    public boolean warmup() {
        return round == 0;
    }

    /**
     * CPU time of the receiving thread per delivery, µs: what polling, the client's bookkeeping and the handler cost
     * it, a measure of client-side efficiency less noisy than throughput; null if not measured or nothing received.
     */
    public Double receiverCpuMicrosPerDelivery() {
        return receiverCpuMs < 0 || received == 0 ? null : receiverCpuMs * 1000 / received;
    }

    /**
     * CPU time of all the benchmark's JVMs per message processed, µs: what the whole system (broker, client, tracker)
     * spends on a message, which on a saturated machine sets the throughput; null if not measured or none processed.
     */
    public Double cpuMicrosPerMessage() {
        return cpuMs < 0 || processed == 0 ? null : cpuMs * 1000 / processed;
    }

    /**
     * {@link #cpuMicrosPerMessage()} per group of threads, the largest first, µs; only groups of at least
     * {@code minShare} of the total. Empty if not measured.
     */
    public Map<String, Double> cpuMicrosPerMessageByThreadGroup(double minShare) {
        double total = threadGroupsMs();
        Map<String, Double> result = new LinkedHashMap<>();
        if (processed == 0) {
            return result;
        }
        cpuMsByThreadGroup.entrySet().stream()
                .filter(group -> group.getValue() >= minShare * total)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(group -> result.put(group.getKey(), group.getValue() * 1000 / processed));
        return result;
    }

    /** {@link #cpuMicrosPerMessage()} per process ({@code bench}, {@code broker}, {@code tracker}), µs; or empty. */
    public Map<String, Double> cpuMicrosPerMessageByProcess() {
        Map<String, Double> result = new TreeMap<>();
        if (processed > 0) {
            cpuMsByThreadGroup.forEach((group, ms) -> result.merge(group.substring(0, Math.max(0, group.indexOf(':'))),
                    ms * 1000 / processed, Double::sum));
        }
        return result;
    }

    /**
     * The share of {@link #cpuMs} the JIT compiler threads of all the benchmark's JVMs used (the thread groups named
     * {@value #JIT_THREAD_GROUP}...): high while a system's code is still being compiled; null if not measured.
     */
    public Double jitCpuShare() {
        double total = threadGroupsMs();
        if (total <= 0) {
            return null;
        }
        double jit = cpuMsByThreadGroup.entrySet().stream()
                .filter(group -> group.getKey().startsWith(JIT_THREAD_GROUP, group.getKey().indexOf(':') + 1))
                .mapToDouble(Map.Entry::getValue).sum();
        return jit / total;
    }

    /** The sum of {@link #cpuMsByThreadGroup}, ms. */
    private double threadGroupsMs() {
        return cpuMsByThreadGroup.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Markers written per message sent: what the protocol costs the broker and the tracker; null if not counted. */
    public Double markersPerMessage() {
        return markers < 0 || sent == 0 ? null : (double) markers / sent;
    }

    /** This run with its markers counted. */
    public RunResult withMarkers(long count) {
        return new RunResult(scenario, system, round, sent, received, processed, duplicates, dropped, lost,
                elapsedSeconds, msgsPerS, startupMs, receiverCpuMs, cpuMs, cpuMsByThreadGroup, count, latencyMicros,
                samples, timedOut, error);
    }

    /** Whether the run ended normally (it may still have lost messages). */
    public boolean ok() {
        return error == null;
    }

    /**
     * The counters at one moment of a run.
     *
     * @param seconds   since the start of the measured window
     * @param sent      messages acknowledged to the producer so far
     * @param received  deliveries so far
     * @param processed distinct messages processed so far
     */
    public record Sample(double seconds, long sent, long received, long processed) {
    }
}
