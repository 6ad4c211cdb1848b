package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The SVG charts of a report, drawn with XChart: the median throughput of each system per scenario, every system's
 * throughput relative to plain, and the drop scenario's receive rate over time.
 */
public final class Charts {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;

    private Charts() {
    }

    /**
     * Writes the charts into {@code directory}.
     *
     * @return the file names written, in the order the report shows them
     * @throws UncheckedIOException if a file cannot be written
     */
    public static List<String> write(BenchReport report, Path directory) {
        System.setProperty("java.awt.headless", "true");
        List<String> written = new ArrayList<>();
        if (report.rows().stream().anyMatch(r -> r.ratioVsPlain() != null)) {
            written.add(save(ratioChart(report), directory, "ratio-vs-plain.svg"));
        }
        for (Scenario scenario : report.settings().scenarios()) {
            List<ResultRow> rows = report.rows().stream().filter(r -> r.scenario().equals(scenario.id())).toList();
            if (!rows.isEmpty()) {
                written.add(save(throughputChart(scenario, rows), directory, "throughput-" + scenario.id() + ".svg"));
            }
        }
        XYChart rate = dropRateChart(report);
        if (!rate.getSeriesMap().isEmpty()) {
            written.add(save(rate, directory, "drops-receive-rate.svg"));
        }
        return written;
    }

    private static CategoryChart throughputChart(Scenario scenario, List<ResultRow> rows) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput: " + scenario.description())
                .xAxisTitle("system").yAxisTitle("messages / s (median of runs)").build();
        chart.addSeries("median", rows.stream().map(ResultRow::system).toList(),
                rows.stream().map(ResultRow::msgsPerS).toList());
        CategoryStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setLabelsVisible(true);
        fromZero(styler, "#,###");
        return chart;
    }

    private static CategoryChart ratioChart(BenchReport report) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput relative to plain (1.0 = as fast as plain)")
                .xAxisTitle("scenario").yAxisTitle("msgs/s ÷ plain's msgs/s").build();
        List<String> scenarios = report.settings().scenarios().stream().map(Scenario::id)
                .filter(id -> report.rows().stream().anyMatch(r -> r.scenario().equals(id))).toList();
        for (SystemKind system : report.settings().systems()) {
            List<Double> ratios = new ArrayList<>();
            for (String scenario : scenarios) {
                ratios.add(report.rows().stream()
                        .filter(r -> r.scenario().equals(scenario) && r.system().equals(system.id()))
                        .map(ResultRow::ratioVsPlain).filter(java.util.Objects::nonNull).findFirst().orElse(0.0));
            }
            chart.addSeries(system.id(), scenarios, ratios);
        }
        fromZero(chart.getStyler(), "0.00");
        return chart;
    }

    private static XYChart dropRateChart(BenchReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Drop scenario: receive rate over time (deliveries / s, dropped ones included)")
                .xAxisTitle("seconds since the first send").yAxisTitle("deliveries / s").build();
        for (SystemKind system : report.settings().systems()) {
            medianRun(report.runs(), system).ifPresent(run -> {
                List<Double> times = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                List<RunResult.Sample> samples = run.samples();
                for (int i = 1; i < samples.size(); i++) {
                    RunResult.Sample previous = samples.get(i - 1);
                    RunResult.Sample current = samples.get(i);
                    double dt = current.seconds() - previous.seconds();
                    if (dt > 0) {
                        times.add(current.seconds());
                        rates.add((current.received() - previous.received()) / dt);
                    }
                }
                if (!times.isEmpty()) {
                    chart.addSeries(system.id() + " (run " + run.round() + ")", times, rates)
                            .setMarker(SeriesMarkers.NONE);
                }
            });
        }
        fromZero(chart.getStyler(), "#,###");
        return chart;
    }

    /** A y axis from 0 with {@code pattern} numbers, the legend inside the top right corner. */
    private static void fromZero(AxesChartStyler styler, String pattern) {
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setYAxisMin(0.0);
        styler.setYAxisDecimalPattern(pattern);
    }

    /** The measured drop-scenario run of {@code system} with the median throughput. */
    private static Optional<RunResult> medianRun(List<RunResult> runs, SystemKind system) {
        List<RunResult> measured = runs.stream()
                .filter(r -> r.scenario() == Scenario.DROPS && r.system() == system && !r.warmup() && r.ok()
                        && r.samples().size() > 1)
                .sorted(Comparator.comparingDouble(RunResult::msgsPerS)).toList();
        return measured.isEmpty() ? Optional.empty() : Optional.of(measured.get(measured.size() / 2));
    }

    private static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path directory, String name) {
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, directory.resolve(name).toString(),
                    VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + directory.resolve(name), e);
        }
        return name;
    }
}
