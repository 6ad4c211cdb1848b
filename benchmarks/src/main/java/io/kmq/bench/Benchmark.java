package io.kmq.bench;

import io.kmq.bench.internal.BenchAdmin;
import io.kmq.bench.internal.Closeables;
import io.kmq.bench.internal.Fmt;
import io.kmq.bench.internal.Results;
import io.kmq.bench.internal.RunContext;
import io.kmq.bench.internal.RunExecutor;
import io.kmq.bench.internal.TrackerLauncher;
import io.kmq.bench.internal.Trackers;
import io.kmq.testkit.KafkaEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs the scenarios against every system on one cluster and returns what they measured.
 *
 * <p>The order is what makes the comparison fair:
 * <ol>
 *   <li>warm-up runs of each system (send-receive, {@link BenchSettings#warmupMessages()} messages), not reported;
 *       the pre-populated scenario also drains its backlog per system before its rounds, also not reported, since
 *       a live warm-up leaves the bulk-receive paths (large fetches, range markers) cold; each warm-up is repeated
 *       until the JIT compilers settle ({@link BenchSettings#warmupRuns()});</li>
 *   <li>for each scenario, {@link BenchSettings#repeats(Scenario)} rounds, each running every system once in the
 *       same order (plain, kmq, share, plain, …), so slow drifts of the machine hit every system alike;</li>
 *   <li>every run gets fresh topics with the same settings (partitions, replication) and a fresh group; the
 *       pre-populated scenario fills one topic that every run reads with its own group.</li>
 * </ol>
 */
public final class Benchmark {

    private static final DateTimeFormatter PREFIX_TIME = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final BenchSettings settings;
    private final KafkaEnvironment kafka;
    private final String brokerDescription;
    private final Consumer<String> progress;
    private final TrackerLauncher trackers;

    /**
     * @param kafka             the cluster to run against; not closed here
     * @param brokerDescription how the broker runs, for the report
     * @param progress          receives one line per finished run
     */
    public Benchmark(BenchSettings settings, KafkaEnvironment kafka, String brokerDescription,
                     Consumer<String> progress) {
        this(settings, kafka, brokerDescription, progress, launcher(settings.kmqTracker(),
                kafka.defaultReplicationFactor(), settings.trackerProperties()));
    }

    Benchmark(BenchSettings settings, KafkaEnvironment kafka, String brokerDescription, Consumer<String> progress,
              TrackerLauncher trackers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.brokerDescription = Objects.requireNonNull(brokerDescription, "brokerDescription");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.trackers = Objects.requireNonNull(trackers, "trackers");
    }

    private static TrackerLauncher launcher(TrackerPlacement placement, short replicationFactor,
                                            Map<String, String> trackerSettings) {
        return switch (placement) {
            case JVM -> Trackers.sharedProcess(replicationFactor, trackerSettings);
            case JVM_PER_RUN -> Trackers.process(replicationFactor, trackerSettings);
            case IN_PROCESS -> Trackers.redelivery(replicationFactor, trackerSettings);
            case NONE -> TrackerLauncher.NONE;
        };
    }

    /** Runs everything; a failing run is reported as failed and the benchmark goes on. */
    public BenchReport run() {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        String prefix = "kb" + PREFIX_TIME.format(startedAt) + Integer.toString((int) (Math.random() * 1296), 36);
        List<RunResult> runs = new ArrayList<>();
        try (BenchAdmin admin = new BenchAdmin(kafka.bootstrapServers())) {
            RunExecutor executor = new RunExecutor(new RunContext(settings, kafka, admin, trackers, prefix));
            if (settings.warmupMessages() > 0) {
                for (SystemKind system : settings.systems()) {
                    repeatUntilCompiled(attempt -> executor.liveWarmup(system, attempt), started, runs);
                }
            }
            for (Scenario scenario : settings.scenarios()) {
                runScenario(scenario, executor, admin, prefix, started, runs);
            }
        } finally {
            if (trackers instanceof AutoCloseable shared) {
                Closeables.closeAll(shared); // the tracker JVM kept between kmq runs
            }
        }
        List<ResultRow> rows = Results.summarise(runs, settings.scenarios(), settings.systems());
        return new BenchReport(startedAt, Duration.ofNanos(System.nanoTime() - started), "",
                Machine.current(brokerDescription), settings, rows, runs);
    }

    private void runScenario(Scenario scenario, RunExecutor executor, BenchAdmin admin, String prefix, long started,
                             List<RunResult> runs) {
        String backlogTopic = prefix + "-" + scenario.id();
        if (scenario == Scenario.PREPOPULATED) {
            long filling = System.nanoTime();
            try {
                executor.populate(backlogTopic);
            } catch (RuntimeException e) {
                admin.deleteTopicsQuietly(List.of(backlogTopic));
                throw e;
            }
            progress.accept(String.format(Locale.ROOT, "[%7.1f s] %s: %,d messages written in %.1f s",
                    seconds(started), scenario, settings.backlog(), seconds(filling)));
        }
        try {
            if (scenario == Scenario.PREPOPULATED && settings.warmupMessages() > 0) {
                for (SystemKind system : settings.systems()) {
                    repeatUntilCompiled(attempt -> executor.prepopulatedWarmup(backlogTopic, system, attempt),
                            started, runs);
                }
            }
            for (int round = 1; round <= settings.repeats(scenario); round++) {
                for (SystemKind system : settings.systems()) {
                    RunResult run = scenario == Scenario.PREPOPULATED
                            ? executor.prepopulated(backlogTopic, system, round)
                            : executor.live(scenario, system, round, settings.messages());
                    report(started, run, runs);
                }
            }
        } finally {
            if (scenario == Scenario.PREPOPULATED) {
                admin.deleteTopicsQuietly(List.of(backlogTopic));
            }
        }
    }

    /**
     * Repeats an unrecorded warm-up run until the JIT compilers used less than
     * {@link BenchSettings#SETTLED_JIT_CPU_SHARE} of its CPU, at most {@link BenchSettings#warmupRuns()} times.
     *
     * @param warmUp runs the warm-up with the given 1-based attempt number
     */
    private void repeatUntilCompiled(IntFunction<RunResult> warmUp, long started, List<RunResult> runs) {
        for (int attempt = 1; attempt <= settings.warmupRuns(); attempt++) {
            RunResult run = warmUp.apply(attempt);
            report(started, run, runs);
            if (!run.ok() || run.timedOut() || isCompiled(run)) {
                return;
            }
        }
    }

    /** Whether the JIT compilers used less than {@link BenchSettings#SETTLED_JIT_CPU_SHARE} of the run's CPU. */
    static boolean isCompiled(RunResult run) {
        Double share = run.jitCpuShare();
        return share == null || share < BenchSettings.SETTLED_JIT_CPU_SHARE;
    }

    private void report(long started, RunResult run, List<RunResult> runs) {
        runs.add(run);
        String what = String.format(Locale.ROOT, "[%7.1f s] %-18s %-5s %-6s", seconds(started), run.scenario(),
                run.system(), run.warmup() ? "warmup" : "run " + run.round());
        if (!run.ok()) {
            progress.accept(what + " FAILED: " + run.error());
            return;
        }
        Double jitShare = run.jitCpuShare();
        String latency = run.latencyMicros() == null || run.latencyMicros().getTotalCount() == 0 ? ""
                : String.format(Locale.ROOT, "  p50 %.2f ms  p99 %.2f ms", run.latencyMicros().getValueAtPercentile(50)
                / 1000.0, run.latencyMicros().getValueAtPercentile(99) / 1000.0);
        progress.accept(String.format(Locale.ROOT, "%s %,10.0f msg/s  %,d sent  %,d received  %,d lost%s  "
                + "(start-up %,.0f ms, receiver CPU %s µs/msg, CPU %s µs/msg%s%s)%s", what, run.msgsPerS(),
                run.sent(), run.received(), run.lost(), latency, run.startupMs(),
                Fmt.cpu(run.receiverCpuMicrosPerDelivery()), Fmt.cpu(run.cpuMicrosPerMessage()),
                jitShare == null ? "" : String.format(Locale.ROOT, ", JIT %.0f %%", jitShare * 100),
                run.markersPerMessage() == null ? "" : ", " + Fmt.perMessage(run.markersPerMessage()) + " markers/msg",
                run.timedOut() ? "  TIMED OUT" : ""));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
