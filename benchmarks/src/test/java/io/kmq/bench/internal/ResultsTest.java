package io.kmq.bench.internal;

import static io.kmq.bench.internal.TestRuns.failed;
import static io.kmq.bench.internal.TestRuns.latency;
import static io.kmq.bench.internal.TestRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

    private static final List<Scenario> SEND_RECEIVE = List.of(Scenario.SEND_RECEIVE);
    private static final List<SystemKind> ALL = List.of(SystemKind.values());

    @Test
    void throughputIsTheMedianOfTheRunsWithItsSpreadAndTheRatioToPlain() {
        List<RunResult> runs = List.of(
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 1, 100, null),
                run(Scenario.SEND_RECEIVE, SystemKind.KMQ, 1, 90, null),
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 2, 300, null),
                run(Scenario.SEND_RECEIVE, SystemKind.KMQ, 2, 60, null),
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 3, 200, null),
                run(Scenario.SEND_RECEIVE, SystemKind.KMQ, 3, 100, null));
        List<ResultRow> rows = Results.summarise(runs, SEND_RECEIVE, ALL);
        assertEquals(2, rows.size()); // share has no runs: no row
        ResultRow plain = rows.get(0);
        ResultRow kmq = rows.get(1);
        assertEquals("plain", plain.system());
        assertEquals(200, plain.msgsPerS());
        assertEquals(100, plain.msgsPerSMin());
        assertEquals(300, plain.msgsPerSMax());
        assertEquals(1.0, plain.ratioVsPlain());
        assertEquals(90, kmq.msgsPerS());
        assertEquals(0.45, kmq.ratioVsPlain(), 1e-12);
        assertEquals(3, kmq.runs());
        assertEquals(3000, kmq.sent());
        assertNull(kmq.p50Ms());
    }

    @Test
    void latencyPercentilesComeFromTheRunsHistogramsMerged() {
        List<RunResult> runs = List.of(
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 1, 100, latency(1_000, 1_000, 1_000)),
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 2, 100, latency(3_000, 50_000)));
        ResultRow row = Results.summarise(runs, SEND_RECEIVE, ALL).get(0);
        assertEquals(1.0, row.p50Ms(), 0.01);
        assertEquals(50.0, row.p99Ms(), 0.05);
        assertEquals(50.0, row.maxMs(), 0.05);
    }

    @Test
    void warmupsAreLeftOutAndFailedRunsCountAsErrorsNotThroughput() {
        List<RunResult> runs = List.of(
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 0, 1, null),
                run(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 1, 100, null),
                failed(Scenario.SEND_RECEIVE, SystemKind.PLAIN, 2));
        ResultRow row = Results.summarise(runs, SEND_RECEIVE, ALL).get(0);
        assertEquals(100, row.msgsPerS());
        assertEquals(2, row.runs());
        assertEquals(1, row.errors());
    }

    @Test
    void withoutPlainThereIsNoRatio() {
        List<RunResult> runs = List.of(run(Scenario.SEND_RECEIVE, SystemKind.KMQ, 1, 100, null));
        assertNull(Results.summarise(runs, SEND_RECEIVE, ALL).get(0).ratioVsPlain());
    }

    @Test
    void deliveriesPerMessageShowTheRedeliveries() {
        List<RunResult> runs = List.of(run(Scenario.DROPS, SystemKind.KMQ, 1, 100, null));
        ResultRow row = Results.summarise(runs, List.of(Scenario.DROPS), ALL).get(0);
        assertEquals(1.937, row.deliveriesPerMessage(), 1e-9);
        assertEquals(0, row.lost());
    }

    @Test
    void receiverCpuIsPerDeliveryAndLeftOutWhereNotMeasured() {
        List<RunResult> runs = List.of(run(Scenario.DROPS, SystemKind.KMQ, 1, 100, null),
                failed(Scenario.DROPS, SystemKind.KMQ, 2));
        ResultRow row = Results.summarise(runs, List.of(Scenario.DROPS), ALL).get(0);
        assertEquals(2.5 * 1000 / 1937, row.receiverCpuUs(), 1e-9); // 2.5 ms over 1937 deliveries
        assertNull(runs.get(1).receiverCpuMicrosPerDelivery());
    }

    @Test
    void cpuIsPerMessageProcessedAndLeftOutWhereNotMeasured() {
        List<RunResult> runs = List.of(run(Scenario.DROPS, SystemKind.KMQ, 1, 100, null),
                run(Scenario.DROPS, SystemKind.KMQ, 2, 100, null).withMarkers(40),
                failed(Scenario.DROPS, SystemKind.KMQ, 3));
        ResultRow row = Results.summarise(runs, List.of(Scenario.DROPS), ALL).get(0);
        assertEquals(150.0, row.cpuUs(), 1e-9); // 150 ms over 1000 messages processed, not 1937 deliveries
        assertEquals(150.0, runs.get(1).cpuMicrosPerMessage(), 1e-9); // kept by withMarkers
        assertNull(runs.get(2).cpuMicrosPerMessage());
    }
}
