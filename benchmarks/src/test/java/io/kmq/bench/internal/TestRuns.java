package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.BenchSettings;
import io.kmq.bench.Machine;
import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Run results and reports made up for the writer and summary tests. */
final class TestRuns {

    private TestRuns() {
    }

    /** A histogram of µs values. */
    static Histogram latency(long... micros) {
        Histogram histogram = new Histogram(Tally.MAX_LATENCY_MICROS, 3);
        for (long v : micros) {
            histogram.recordValue(v);
        }
        return histogram;
    }

    /** A successful run of 1000 messages; its receiving thread used 2.5 ms of CPU. */
    static RunResult run(Scenario scenario, SystemKind system, int round, double msgsPerS, Histogram latency) {
        List<RunResult.Sample> samples = scenario == Scenario.DROPS
                ? List.of(new RunResult.Sample(0, 0, 0, 0), new RunResult.Sample(0.5, 600, 900, 500),
                        new RunResult.Sample(1.0, 1000, 1937, 1000))
                : List.of();
        long received = scenario == Scenario.DROPS ? 1937 : 1000;
        return new RunResult(scenario, system, round, 1000, received, 1000, 0, received - 1000, 0,
                1000 / msgsPerS, msgsPerS, 120.5, 2.5, 150,
                Map.of("bench:kmq-bench-recei", 100.0, "broker:data-plane-kafk", 50.0),
                system == SystemKind.KMQ ? 40 : -1, latency, samples, false, null);
    }

    /** A failed run. */
    static RunResult failed(Scenario scenario, SystemKind system, int round) {
        return new RunResult(scenario, system, round, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, Map.of(), -1, null, List.of(),
                false, "java.lang.IllegalStateException: boom");
    }

    /** A report of every scenario and system, two rounds each, kmq at 90 % of plain and share at half. */
    static BenchReport report() {
        BenchSettings settings = BenchSettings.quickBuilder().build();
        List<RunResult> runs = new ArrayList<>();
        for (SystemKind system : BenchSettings.DEFAULT_SYSTEMS) {
            runs.add(run(Scenario.SEND_RECEIVE, system, 0, 500, latency(900)));
        }
        for (Scenario scenario : Scenario.values()) {
            for (int round = 1; round <= 2; round++) {
                double plain = scenario == Scenario.PREPOPULATED ? 1_000_000 : 20_000;
                for (SystemKind system : BenchSettings.DEFAULT_SYSTEMS) {
                    double factor = switch (system) {
                        case PLAIN -> 1.0;
                        case KMQ -> 0.9;
                        case SHARE -> 0.5;
                        case ORIGINAL -> 0.2;
                    };
                    Histogram latency = scenario == Scenario.PREPOPULATED ? null
                            : latency(500L * (1 + system.ordinal()), 1000L * (1 + system.ordinal()), 20_000);
                    runs.add(run(scenario, system, round, plain * factor * (round == 1 ? 0.95 : 1.05), latency));
                }
            }
        }
        List<ResultRow> rows = Results.summarise(runs, settings.scenarios(), settings.systems());
        Machine machine = new Machine(2, 24_000, "Linux 6 amd64", "OpenJDK 64-Bit Server VM 17", 6_000,
                "in-process KRaft, 1 broker(s) in a separate JVM");
        return new BenchReport(Instant.parse("2026-11-23T12:00:00Z"), Duration.ofSeconds(150), "kmq bench --quick",
                machine, settings, rows, runs);
    }
}
