package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.util.ArrayList;
import java.util.List;

/**
 * kmq's performance goals, checked as ratios and differences against plain in the same run, never as timings.
 * Throughput goals compare the medians; latency goals take, round by round, kmq's percentile minus plain's (runs of
 * one round are adjacent in time, so they share the machine's weather) and are judged on the median of those
 * differences: one bad run of either system cannot decide the goal.
 */
public final class Targets {

    /**
     * One goal.
     *
     * @param goal     what is compared, e.g. "send-receive kmq/plain"
     * @param target   the goal, e.g. "≥ 0.98"
     * @param measured the measured value, null if the run did not measure it
     * @param met      whether it was met, null if not measured
     * @param perRound the value of each round, in round order, for goals judged round by round; else empty
     */
    public record Target(String goal, String target, Double measured, Boolean met, List<Double> perRound) {

        /** Copies the rounds. */
        public Target {
            perRound = List.copyOf(perRound);
        }
    }

    private Targets() {
    }

    /** The goals checked against {@code report}. */
    public static List<Target> check(BenchReport report) {
        List<Target> targets = new ArrayList<>();
        targets.add(atLeast("send-receive throughput kmq/plain", ratio(report, Scenario.SEND_RECEIVE), 0.98));
        targets.add(atLeast("prepopulated throughput kmq/plain", ratio(report, Scenario.PREPOPULATED), 0.90));
        targets.add(latencyOverhead(report, 50, 1.0));
        targets.add(latencyOverhead(report, 99, 5.0));
        return targets;
    }

    private static Double ratio(BenchReport report, Scenario scenario) {
        return report.row(scenario, SystemKind.KMQ).map(ResultRow::ratioVsPlain).orElse(null);
    }

    /** The median over rounds of kmq's latency percentile minus plain's in the same round; at most {@code bound}. */
    private static Target latencyOverhead(BenchReport report, int percentile, double bound) {
        List<RunResult> plainRuns = latencyRuns(report, SystemKind.PLAIN);
        List<Double> perRound = new ArrayList<>();
        for (RunResult kmq : latencyRuns(report, SystemKind.KMQ)) {
            plainRuns.stream().filter(plain -> plain.round() == kmq.round()).findFirst()
                    .ifPresent(plain -> perRound.add(Results.percentileMs(kmq.latencyMicros(), percentile)
                            - Results.percentileMs(plain.latencyMicros(), percentile)));
        }
        Double measured = perRound.isEmpty() ? null : Spread.of(perRound).median();
        return new Target("latency p" + percentile + " kmq − plain (ms, median of the rounds)", "≤ " + bound,
                measured, measured == null ? null : measured <= bound, perRound);
    }

    /** The measured latency runs of {@code system} that ended normally and recorded latencies, in round order. */
    private static List<RunResult> latencyRuns(BenchReport report, SystemKind system) {
        return report.runs().stream().filter(r -> r.scenario() == Scenario.LATENCY && r.system() == system
                && !r.warmup() && r.ok() && r.latencyMicros() != null && r.latencyMicros().getTotalCount() > 0)
                .toList();
    }

    private static Target atLeast(String goal, Double measured, double bound) {
        return new Target(goal, "≥ " + bound, measured, measured == null ? null : measured >= bound, List.of());
    }
}
