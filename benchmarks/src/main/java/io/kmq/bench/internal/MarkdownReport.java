package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.BenchSettings;
import io.kmq.bench.Machine;
import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report as Markdown ({@code report.md}): machine, settings, results, kmq's goals, charts, every run. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * The Markdown text of {@code report}.
     *
     * @param charts the chart files written next to the report, linked in order
     */
    public static String render(BenchReport report, List<String> charts) {
        StringBuilder md = new StringBuilder();
        BenchSettings s = report.settings();
        md.append("# kmq benchmark\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %.0f s%s. Command: `%s`\n\n", report.startedAt(),
                report.duration().toMillis() / 1000.0, s.quick() ? " (quick mode: small counts)" : "",
                report.command().isEmpty() ? "(API)" : report.command()));
        machine(md, report.machine());
        settings(md, s);
        results(md, report.rows());
        targets(md, report);
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            charts.forEach(chart -> md.append("![").append(chart).append("](").append(chart).append(")\n\n"));
        }
        runs(md, report.runs());
        method(md, s);
        return md.toString();
    }

    private static void machine(StringBuilder md, Machine m) {
        md.append("## Machine\n\n");
        md.append(String.format(Locale.ROOT, "- %d cores, %,d MB memory, %s%n- JVM: %s, max heap %,d MB%n"
                + "- broker: %s%n%n", m.cores(), m.memoryMb(), m.os(), m.jvm(), m.maxHeapMb(), m.broker()));
        md.append("Numbers compare only within one run on one machine: the same broker, topics and sizes.\n\n");
    }

    /** How each warm-up is repeated, for the settings list. */
    private static String untilCompiled(BenchSettings s) {
        return String.format(Locale.ROOT, ", repeated until the JIT compilers used < %.0f %% of its CPU (at most %d "
                + "times)", BenchSettings.SETTLED_JIT_CPU_SHARE * 100, s.warmupRuns());
    }

    private static void settings(StringBuilder md, BenchSettings s) {
        md.append("## Settings\n\n");
        md.append(String.format(Locale.ROOT, "- %d partitions, %d-byte messages; %s measured in each scenario, "
                        + "interleaved, %s%n"
                        + "- live scenarios: %,d messages, sent in batches of %d, each batch awaited%n"
                        + "- pre-populated: %,d messages%s%n"
                        + "- drops: %.0f %% of deliveries dropped, at most %d times per message (expected %.2f "
                        + "deliveries per message)%n"
                        + "- latency: %,d msg/s for %.1f s (%,d messages)%n"
                        + "- kmq: message timeout %d ms, max in flight %,d, tracker running %s%s%n",
                s.partitions(), s.messageSize(), s.describeRepeats(), s.warmupMessages() == 0 ? "with no warm-up"
                        : String.format(Locale.ROOT, "after a warm-up of %,d messages per system%s", s.warmupMessages(),
                                untilCompiled(s)), s.messages(),
                s.sendBatch(), s.backlog(),
                s.warmupMessages() == 0 ? "" : ", drained unrecorded by each system before its runs" + untilCompiled(s),
                s.dropProbability() * 100, s.maxDrops(),
                new DropPolicy(s.dropProbability(), s.maxDrops(), s.seed()).expectedDeliveriesPerMessage(),
                s.latencyRate(), s.latencyDuration().toMillis() / 1000.0, s.latencyMessages(),
                s.kmqMessageTimeout().toMillis(), s.kmqMaxInFlight(),
                s.kmqTracker().description(),
                (s.kmqAckBatch() ? ", each batch acknowledged with one processedAll call" : "")
                        + (s.kmqProperties().isEmpty() ? "" : ", " + s.kmqProperties())
                        + (s.trackerProperties().isEmpty() ? "" : ", tracker " + s.trackerProperties())));
        if (!s.plainProperties().isEmpty()) {
            md.append("- plain consumer: ").append(s.plainProperties()).append('\n');
        }
        md.append('\n');
    }

    private static void results(StringBuilder md, List<ResultRow> rows) {
        md.append("## Results\n\n");
        md.append("Throughput is the median of the runs (spread: slowest–fastest); latency percentiles are over all "
                + "runs' messages; counts are totals.\n\n");
        md.append("| scenario | system | msgs/s | spread | vs plain | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
                + "| sent | received | lost | start-up ms | receiver CPU µs/msg | CPU µs/msg | markers/msg |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ResultRow r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | "
                            + "%s | %,.0f%s | %s | %s | %s |%n", r.scenario(), r.system(), Fmt.rate(r.msgsPerS()),
                    Fmt.spread(r.msgsPerSMin(), r.msgsPerSMax()), Fmt.ratio(r.ratioVsPlain()), Fmt.ms(r.p50Ms()),
                    Fmt.ms(r.p90Ms()), Fmt.ms(r.p99Ms()), Fmt.ms(r.p999Ms()), Fmt.ms(r.maxMs()),
                    Fmt.count(r.sent()), Fmt.count(r.received()), Fmt.count(r.lost()), r.startupMs(),
                    r.errors() > 0 ? " (" + r.errors() + " failed)" : "", Fmt.cpu(r.receiverCpuUs()),
                    Fmt.cpu(r.cpuUs()), Fmt.perMessage(r.markersPerMessage())));
        }
        md.append('\n');
    }

    private static void targets(StringBuilder md, BenchReport report) {
        md.append("## kmq's goals\n\n| goal | target | measured | 95 % CI | per round | met |\n"
                + "|---|---|--:|--:|--:|---|\n");
        for (Targets.Target t : Targets.check(report)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", t.goal(), t.target(),
                    t.measured() == null ? "–" : String.format(Locale.ROOT, "%.3f", t.measured()),
                    t.formatInterval(), t.perRound().isEmpty() ? "–" : t.perRound().stream().map(t::format)
                            .collect(Collectors.joining(", ")), t.verdict()));
        }
        md.append('\n').append(Targets.INTERVAL_NOTE).append("\n\n");
    }

    private static void runs(StringBuilder md, List<RunResult> runs) {
        md.append("## Every run\n\n| # | scenario | system | round | msgs/s | elapsed s | sent | received | lost "
                + "| p50 ms | p99 ms | start-up ms | receiver CPU µs/msg | CPU µs/msg | by process | markers/msg "
                + "| note |\n|--:|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|---|\n");
        int n = 0;
        for (RunResult r : runs) {
            boolean latency = r.latencyMicros() != null && r.latencyMicros().getTotalCount() > 0;
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f | %s | %s | %s | %s | %s | %,.0f | "
                            + "%s | %s | %s | %s | %s |%n", ++n, r.scenario(), r.system(),
                    r.warmup() ? "warm-up" : r.round(),
                    Fmt.rate(r.msgsPerS()), r.elapsedSeconds(), Fmt.count(r.sent()), Fmt.count(r.received()),
                    Fmt.count(r.lost()), Fmt.ms(latency ? Results.percentileMs(r.latencyMicros(), 50) : null),
                    Fmt.ms(latency ? Results.percentileMs(r.latencyMicros(), 99) : null), r.startupMs(),
                    Fmt.cpu(r.receiverCpuMicrosPerDelivery()), Fmt.cpu(r.cpuMicrosPerMessage()),
                    Fmt.byProcess(r.cpuMicrosPerMessageByProcess()), Fmt.perMessage(r.markersPerMessage()),
                    r.error() != null ? "failed: " + r.error().replace('|', '/') : r.timedOut() ? "timed out" : ""));
        }
        md.append('\n');
    }

    private static void method(StringBuilder md, BenchSettings s) {
        md.append("## How it was measured\n\n");
        md.append("- " + Scenario.SEND_RECEIVE.id() + ", " + Scenario.SEND_RECEIVE_ACKS1.id() + ", "
                + Scenario.DROPS.id() + ": msgs/s = distinct messages processed / time from the first send to the "
                + "last new message processed. The producer waits for each batch, as the seed's sender did, so it "
                + "usually sets the pace; compare the systems' ratios, not the absolute rate.\n");
        md.append("- " + Scenario.PREPOPULATED.id() + ": msgs/s = messages / time from the first to the last "
                + "delivery; group join (and kmq's tracker start) is outside the window and shown as start-up.\n");
        md.append("- " + Scenario.LATENCY.id() + ": open-loop sender at a fixed rate; each payload carries its "
                + "intended send time, so a stalled sender counts as latency (coordinated omission corrected). "
                + "Latency = processing time − send time on one JVM clock, recorded in an HdrHistogram.\n");
        md.append("- Before the measured window of a live run, one priming message per partition must reach the "
                + "receiver, so group join never counts as latency.\n");
        md.append("- Latency in the closed-loop scenarios (send-receive, drops) is measured from the actual send "
                + "time: the sender slows down with the system, so those percentiles are not corrected for "
                + "coordinated omission; only the latency scenario's are.\n");
        md.append("- Drops: plain Kafka can only redeliver by seeking the partition back to the dropped record "
                + "(fetch.max.wait.ms=10 in that scenario, so the re-fetch is not held by the broker's long poll); "
                + "kmq releases it (the tracker redelivers it as a new record); the share consumer RELEASEs it. "
                + "The same deliveries are dropped for every system (seeded), at most " + s.maxDrops()
                + " times per message.\n");
        md.append("- Lost = sent − distinct processed. Received counts every delivery, drops and duplicates "
                + "included.\n");
        md.append("- Receiver CPU = CPU time of the thread that polled and processed, over its whole loop, per "
                + "delivery. CPU = CPU time of the benchmark's JVM and of the broker and tracker JVMs it started, from "
                + "the window's start (checked every 5 ms) until the run was seen complete, per message processed: "
                + "on a saturated machine its ratio between two systems is their throughput ratio. Markers = offsets "
                + "written to the run's markers topic per message sent.\n");
    }
}
