package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleBiFunction;

/**
 * kmq's performance goals, checked as ratios and differences against plain in the same run, never as timings. Each
 * is judged round by round: kmq's throughput over plain's, or kmq's latency percentile minus plain's, in the same
 * round (runs of one round are adjacent in time, so they share the machine's weather, which drifts over minutes), and
 * then the median of those values: one bad run of either system cannot decide a goal. (The results table's ratio,
 * kmq's median over plain's median, pairs nothing, so a slow minute of either system moves it.)
 */
public final class Targets {

    /** How the reports explain the interval column. */
    static final String INTERVAL_NOTE = "95 % CI: the range that holds the true median of the rounds with 95 % "
            + "confidence (between two of the rounds, no assumption on their distribution; from 6 rounds). A goal "
            + "whose interval spans its bound is marked undecided: the rounds measure it, but cannot tell it from the "
            + "bound.";

    /**
     * One goal.
     *
     * @param goal     what is compared, e.g. "send-receive kmq/plain"
     * @param bound    the goal's bound, e.g. 0.98
     * @param atLeast  whether the measured value must be at least the bound (else at most)
     * @param measured the measured value, null if the run did not measure it
     * @param met      whether it was met, null if not measured
     * @param perRound the value of each round, in round order, for goals judged round by round; else empty
     * @param ratio    whether the values are ratios (else differences, shown with their sign)
     */
    public record Target(String goal, double bound, boolean atLeast, Double measured, Boolean met,
                         List<Double> perRound, boolean ratio) {

        /** Copies the rounds. */
        public Target {
            perRound = List.copyOf(perRound);
        }

        /** The goal as the reports show it, e.g. "≥ 0.98". */
        public String target() {
            return (atLeast ? "≥ " : "≤ ") + bound;
        }

        /** A value of this goal as the reports show it: a ratio as {@code 0.95}, a difference as {@code +0.19}. */
        public String format(double value) {
            return String.format(Locale.ROOT, ratio ? "%.2f" : "%+.2f", value);
        }

        /** The 95 % confidence interval of the median of the rounds; empty with fewer than 6 rounds. */
        public Optional<MedianInterval> interval() {
            return MedianInterval.of(perRound, MedianInterval.NINETY_FIVE);
        }

        /** The interval as the reports show it: "0.85–1.02" for ratios, "-0.01 to +0.16" for differences, else "–". */
        public String formatInterval() {
            return interval().map(i -> format(i.low()) + (ratio ? "–" : " to ") + format(i.high())).orElse("–");
        }

        /**
         * Whether it was met, as the reports show it: "yes", "**no**" or "not measured", with "(undecided)" when the
         * rounds' 95 % interval spans the bound.
         */
        public String verdict() {
            if (met == null) {
                return "not measured";
            }
            boolean undecided = interval().map(i -> i.spans(bound)).orElse(false);
            return (met ? "yes" : "**no**") + (undecided ? " (undecided)" : "");
        }

        /** This goal judged on other rounds: their median, and whether it meets the bound. */
        public Target judgedOn(List<Double> rounds) {
            return judge(goal, bound, atLeast, ratio, rounds);
        }
    }

    /** A goal judged by the median of {@code perRound}; not measured (null) when there are no rounds. */
    static Target judge(String goal, double bound, boolean atLeast, boolean ratio, List<Double> perRound) {
        Double measured = perRound.isEmpty() ? null : Spread.of(perRound).median();
        Boolean met = measured == null ? null : atLeast ? measured >= bound : measured <= bound;
        return new Target(goal, bound, atLeast, measured, met, perRound, ratio);
    }

    private Targets() {
    }

    /** The goals checked against {@code report}. */
    public static List<Target> check(BenchReport report) {
        List<Target> targets = new ArrayList<>();
        targets.add(throughputRatio(report, Scenario.SEND_RECEIVE, SystemKind.PLAIN, 0.98));
        targets.add(throughputRatio(report, Scenario.PREPOPULATED, SystemKind.PLAIN, 0.90));
        targets.add(latencyOverhead(report, 50, 1.0));
        targets.add(latencyOverhead(report, 99, 5.0));
        targets.add(throughputRatio(report, Scenario.PREPOPULATED, SystemKind.SHARE, 7.0));
        return targets;
    }

    /** The median over rounds of kmq's throughput over {@code versus}'s in the same round; at least {@code bound}. */
    private static Target throughputRatio(BenchReport report, Scenario scenario, SystemKind versus, double bound) {
        List<Double> perRound = perRound(measuredRuns(report, scenario, SystemKind.KMQ),
                measuredRuns(report, scenario, versus).stream().filter(other -> other.msgsPerS() > 0).toList(),
                (kmq, other) -> kmq.msgsPerS() / other.msgsPerS());
        return judge(scenario.id() + " throughput kmq/" + versus.id() + " (median of the rounds)", bound, true, true,
                perRound);
    }

    /**
     * {@code value} of each of kmq's runs and the run of the other system in the same round, in kmq's round order;
     * a round missing either is left out.
     */
    private static List<Double> perRound(List<RunResult> kmqRuns, List<RunResult> otherRuns,
                                         ToDoubleBiFunction<RunResult, RunResult> value) {
        List<Double> perRound = new ArrayList<>();
        for (RunResult kmq : kmqRuns) {
            otherRuns.stream().filter(other -> other.round() == kmq.round()).findFirst()
                    .ifPresent(other -> perRound.add(value.applyAsDouble(kmq, other)));
        }
        return perRound;
    }

    /** The measured runs of {@code system} in {@code scenario} that ended normally and in time, in round order. */
    private static List<RunResult> measuredRuns(BenchReport report, Scenario scenario, SystemKind system) {
        return report.runs().stream().filter(r -> r.scenario() == scenario && r.system() == system && !r.warmup()
                && r.ok() && !r.timedOut()).toList();
    }

    /** The median over rounds of kmq's latency percentile minus plain's in the same round; at most {@code bound}. */
    private static Target latencyOverhead(BenchReport report, int percentile, double bound) {
        List<Double> perRound = perRound(latencyRuns(report, SystemKind.KMQ), latencyRuns(report, SystemKind.PLAIN),
                (kmq, plain) -> Results.percentileMs(kmq.latencyMicros(), percentile)
                        - Results.percentileMs(plain.latencyMicros(), percentile));
        return judge("latency p" + percentile + " kmq − plain (ms, median of the rounds)", bound, false, false,
                perRound);
    }

    /** The measured latency runs of {@code system} that ended normally and recorded latencies, in round order. */
    private static List<RunResult> latencyRuns(BenchReport report, SystemKind system) {
        return measuredRuns(report, Scenario.LATENCY, system).stream()
                .filter(r -> r.latencyMicros() != null && r.latencyMicros().getTotalCount() > 0).toList();
    }
}
