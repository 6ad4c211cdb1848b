package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.ResultRow;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** kmq's performance goals, checked as ratios and differences against plain in the same run, never as timings. */
public final class Targets {

    /**
     * One goal.
     *
     * @param goal     what is compared, e.g. "send-receive kmq/plain"
     * @param target   the goal, e.g. "≥ 0.98"
     * @param measured the measured value, null if the run did not measure it
     * @param met      whether it was met, null if not measured
     */
    public record Target(String goal, String target, Double measured, Boolean met) {
    }

    private Targets() {
    }

    /** The goals checked against {@code report}. */
    public static List<Target> check(BenchReport report) {
        List<Target> targets = new ArrayList<>();
        targets.add(atLeast("send-receive throughput kmq/plain", ratio(report, Scenario.SEND_RECEIVE), 0.98));
        targets.add(atLeast("prepopulated throughput kmq/plain", ratio(report, Scenario.PREPOPULATED), 0.90));
        targets.add(atMost("latency p50 kmq − plain (ms)", overhead(report, ResultRow::p50Ms), 1.0));
        targets.add(atMost("latency p99 kmq − plain (ms)", overhead(report, ResultRow::p99Ms), 5.0));
        return targets;
    }

    private static Double ratio(BenchReport report, Scenario scenario) {
        return report.row(scenario, SystemKind.KMQ).map(ResultRow::ratioVsPlain).orElse(null);
    }

    private static Double overhead(BenchReport report, java.util.function.Function<ResultRow, Double> percentile) {
        Optional<Double> kmq = report.row(Scenario.LATENCY, SystemKind.KMQ).map(percentile);
        Optional<Double> plain = report.row(Scenario.LATENCY, SystemKind.PLAIN).map(percentile);
        return kmq.isPresent() && plain.isPresent() ? kmq.get() - plain.get() : null;
    }

    private static Target atLeast(String goal, Double measured, double bound) {
        return new Target(goal, "≥ " + bound, measured, measured == null ? null : measured >= bound);
    }

    private static Target atMost(String goal, Double measured, double bound) {
        return new Target(goal, "≤ " + bound, measured, measured == null ? null : measured <= bound);
    }
}
