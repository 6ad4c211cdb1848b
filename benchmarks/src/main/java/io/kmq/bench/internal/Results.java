package io.kmq.bench.internal;

import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/** Summarises runs into one {@link ResultRow} per scenario and system. */
public final class Results {

    private Results() {
    }

    /**
     * One row per scenario and system that has measured runs (warm-ups are left out), in the order given.
     * Throughput: median, min and max of the runs that did not fail; latency: the runs' histograms merged; counts:
     * totals over all runs; ratio: the median over plain's median in the same scenario.
     */
    public static List<ResultRow> summarise(List<RunResult> runs, List<Scenario> scenarios, List<SystemKind> systems) {
        List<ResultRow> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Map<SystemKind, List<RunResult>> bySystem = new LinkedHashMap<>();
            for (SystemKind system : systems) {
                List<RunResult> ofSystem = runs.stream()
                        .filter(r -> !r.warmup() && r.scenario() == scenario && r.system() == system).toList();
                if (!ofSystem.isEmpty()) {
                    bySystem.put(system, ofSystem);
                }
            }
            List<RunResult> plain = bySystem.get(SystemKind.PLAIN);
            Double plainMedian = plain == null ? null : throughput(plain);
            bySystem.forEach((system, ofSystem) -> rows.add(row(scenario, system, ofSystem, plainMedian)));
        }
        return rows;
    }

    private static Double throughput(List<RunResult> runs) {
        List<Double> ok = runs.stream().filter(RunResult::ok).map(RunResult::msgsPerS).toList();
        return ok.isEmpty() ? null : Spread.of(ok).median();
    }

    private static ResultRow row(Scenario scenario, SystemKind system, List<RunResult> runs, Double plainMedian) {
        List<Double> ok = runs.stream().filter(RunResult::ok).map(RunResult::msgsPerS).toList();
        Spread throughput = ok.isEmpty() ? new Spread(0, 0, 0, 0) : Spread.of(ok);
        Histogram merged = null;
        for (RunResult run : runs) {
            if (run.latencyMicros() != null && run.latencyMicros().getTotalCount() > 0) {
                if (merged == null) {
                    merged = new Histogram(run.latencyMicros().getHighestTrackableValue(),
                            run.latencyMicros().getNumberOfSignificantValueDigits());
                }
                merged.add(run.latencyMicros());
            }
        }
        long sent = runs.stream().mapToLong(RunResult::sent).sum();
        long received = runs.stream().mapToLong(RunResult::received).sum();
        long lost = runs.stream().mapToLong(RunResult::lost).sum();
        List<Double> startups = runs.stream().filter(RunResult::ok).map(RunResult::startupMs).toList();
        Double receiverCpu = median(runs, RunResult::receiverCpuMicrosPerDelivery);
        Double cpu = median(runs, RunResult::cpuMicrosPerMessage);
        Double markers = median(runs, RunResult::markersPerMessage);
        int errors = (int) runs.stream().filter(r -> !r.ok() || r.timedOut()).count();
        return new ResultRow(scenario.id(), system.id(), throughput.median(), throughput.min(), throughput.max(),
                runs.size(), percentileMs(merged, 50), percentileMs(merged, 90), percentileMs(merged, 99),
                percentileMs(merged, 99.9), merged == null ? null : merged.getMaxValue() / 1000.0, sent, received,
                lost, ok.isEmpty() ? null : Spread.ratio(throughput.median(), plainMedian),
                sent == 0 ? 0 : (double) received / sent, startups.isEmpty() ? 0 : Spread.of(startups).median(),
                receiverCpu, cpu, markers, errors);
    }

    /** The median of a per-run figure over the runs that ended normally and have it; null if none has. */
    private static Double median(List<RunResult> runs, Function<RunResult, Double> figure) {
        List<Double> values = runs.stream().filter(RunResult::ok).map(figure).filter(Objects::nonNull).toList();
        return values.isEmpty() ? null : Spread.of(values).median();
    }

    /** A percentile of a µs histogram in ms, or null without a histogram. */
    static Double percentileMs(Histogram micros, double percentile) {
        return micros == null ? null : micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
