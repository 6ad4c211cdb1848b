package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmq.bench.BenchReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON, Markdown and console renderings of one made-up report. */
class ReportsTest {

    private final BenchReport report = TestRuns.report();

    @Test
    void jsonHasOneResultPerScenarioAndSystemWithTheDocumentedFields() throws Exception {
        JsonNode root = new ObjectMapper().readTree(JsonReport.render(report));
        JsonNode results = root.get("results");
        assertEquals(15, results.size());
        Set<String> fields = new TreeSet<>();
        results.get(0).fieldNames().forEachRemaining(fields::add);
        assertTrue(fields.containsAll(List.of("scenario", "system", "msgs_per_s", "p50_ms", "p99_ms", "p999_ms",
                "max_ms", "sent", "received", "lost", "ratio_vs_plain", "receiver_cpu_us_per_msg", "cpu_us_per_msg",
                "markers_per_msg")),
                fields.toString());
        JsonNode kmq = find(results, "send-receive", "kmq");
        assertEquals(18_000.0, kmq.get("msgs_per_s").asDouble(), 0.1);
        assertEquals(0.9, kmq.get("ratio_vs_plain").asDouble(), 1e-9);
        assertEquals(2, kmq.get("runs").asInt());
        assertEquals(2.0, kmq.get("p50_ms").asDouble(), 0.01);
        assertEquals(0, kmq.get("lost").asLong());
        assertEquals(2.5, kmq.get("receiver_cpu_us_per_msg").asDouble(), 1e-9); // 2.5 ms over 1000 deliveries
        assertEquals(150.0, kmq.get("cpu_us_per_msg").asDouble(), 1e-9); // 150 ms over 1000 messages
        assertEquals(0.04, kmq.get("markers_per_msg").asDouble(), 1e-9); // 40 markers for 1000 messages
        assertTrue(find(results, "send-receive", "plain").get("markers_per_msg").isNull());
        JsonNode prepopulated = find(results, "prepopulated", "share");
        assertTrue(prepopulated.get("p50_ms").isNull());
        assertEquals(2, root.get("machine").get("cores").asInt());
        assertEquals("kmq bench --quick", root.get("command").asText());
        assertEquals(33, root.get("runs").size());
        assertTrue(find(root.get("runs"), "drops", "kmq").get("samples").size() > 1);
        assertFalse(find(root.get("runs"), "latency", "kmq").has("samples"));
        JsonNode kmqRun = find(root.get("runs"), "send-receive", "kmq");
        assertEquals(100.0, kmqRun.get("cpu_us_per_msg_by_process").get("bench").asDouble(), 1e-9);
        assertEquals(50.0, kmqRun.get("cpu_us_per_msg_by_process").get("broker").asDouble(), 1e-9);
        List<String> threadGroups = new ArrayList<>();
        kmqRun.get("cpu_us_per_msg_by_thread").fieldNames().forEachRemaining(threadGroups::add);
        assertEquals(List.of("bench:kmq-bench-recei", "broker:data-plane-kafk"), threadGroups); // largest first
        assertEquals(5, root.get("targets").size());
    }

    @Test
    void targetsReadBackFromTheJsonAreJudgedAgainFromTheirRounds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latest.json");
        Files.writeString(file, JsonReport.render(report));
        List<Targets.Target> written = Targets.check(report);
        List<Targets.Target> read = JsonReport.readTargets(file);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            Targets.Target w = written.get(i);
            Targets.Target r = read.get(i);
            assertEquals(w.goal(), r.goal());
            assertEquals(w.target(), r.target());
            assertEquals(w.ratio(), r.ratio());
            assertEquals(w.met(), r.met(), w.goal());
            assertEquals(w.measured(), r.measured(), 1e-4);
            assertEquals(w.perRound().size(), r.perRound().size());
        }
        Files.writeString(file, "{\"targets\": []}");
        IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> JsonReport.readTargets(file));
        assertTrue(empty.getMessage().contains("not a report of kmq bench"), empty.getMessage());
    }

    @Test
    void jsonTargetsCompareKmqWithPlain() throws Exception {
        JsonNode targets = new ObjectMapper().readTree(JsonReport.render(report)).get("targets");
        assertEquals(0.9, targets.get(0).get("measured").asDouble(), 1e-9);
        assertFalse(targets.get(0).get("met").asBoolean()); // 0.9 < 0.98
        assertTrue(targets.get(1).get("met").asBoolean()); // 0.9 >= 0.90
        assertEquals(1.0, targets.get(2).get("measured").asDouble(), 0.01); // p50 2 ms vs 1 ms
        assertTrue(targets.get(2).get("met").asBoolean());
        assertEquals(2, targets.get(2).get("per_round").size()); // one difference per round
        assertEquals(2, targets.get(0).get("per_round").size()); // one ratio per round
        assertEquals(1.8, targets.get(4).get("measured").asDouble(), 1e-9); // kmq/share 0.9/0.5 in each round
        assertFalse(targets.get(4).get("met").asBoolean()); // 1.8 < 7
    }

    @Test
    void markdownSaysWhenThereWasNoWarmUp() {
        BenchReport cold = new BenchReport(report.startedAt(), report.duration(), report.command(), report.machine(),
                report.settings().toBuilder().warmupMessages(0).build(), report.rows(), report.runs());
        String md = MarkdownReport.render(cold, List.of());
        assertTrue(md.contains("2 run(s) per system measured in each scenario, interleaved, with no warm-up"), md);
        assertFalse(md.contains("warm-up of 0"), md);
        assertTrue(MarkdownReport.render(report, List.of()).contains("interleaved, after a warm-up of 2,000 messages"));
    }

    @Test
    void markdownShowsMachineResultsGoalsChartsAndRuns() {
        String md = MarkdownReport.render(report, List.of("ratio-vs-plain.svg"));
        assertTrue(md.contains("2 cores"), md);
        assertTrue(md.contains("| send-receive | kmq | 18,000 | 17,100–18,900 | 0.90x |"), md);
        assertTrue(md.contains("| prepopulated | share | 500,000 |"), md);
        assertTrue(md.contains("| send-receive throughput kmq/plain (median of the rounds) | ≥ 0.98 | 0.900 "
                + "| – | 0.90, 0.90 | **no** |"), md);
        assertTrue(md.contains(
                "| latency p50 kmq − plain (ms, median of the rounds) | ≤ 1.0 | 1.000 | – | +1.00, +1.00 | yes |"), md);
        assertTrue(md.contains(Targets.INTERVAL_NOTE), md);
        assertTrue(md.contains("![ratio-vs-plain.svg](ratio-vs-plain.svg)"), md);
        assertTrue(md.contains("| 1 | send-receive | plain | warm-up |"), md);
        assertTrue(md.contains("coordinated omission"), md);
        // receiver CPU, CPU, by process, markers per message
        assertTrue(md.contains("| 2.50 | 150.00 | bench 100.00 · broker 50.00 | 0.0400 |"), md);
    }

    @Test
    void plainConsumerSettingsAppearInBothReportsWhenGiven() throws Exception {
        BenchReport tuned = new BenchReport(report.startedAt(), report.duration(), report.command(), report.machine(),
                report.settings().toBuilder().plainProperties(Map.of("isolation.level", "read_committed")).build(),
                report.rows(), report.runs());
        assertTrue(MarkdownReport.render(tuned, List.of()).contains(
                "- plain consumer: {isolation.level=read_committed}\n"));
        assertFalse(MarkdownReport.render(report, List.of()).contains("plain consumer:"));
        JsonNode settings = new ObjectMapper().readTree(JsonReport.render(tuned)).get("settings");
        assertEquals("read_committed", settings.get("plain_config").get("isolation.level").asText());
        assertFalse(new ObjectMapper().readTree(JsonReport.render(report)).get("settings").has("plain_config"));
    }

    @Test
    void consoleTableAlignsOneLinePerRow() {
        String table = ConsoleTable.render(report);
        List<String> lines = table.lines().toList();
        assertEquals(1 + 2 + 15, lines.size());
        assertTrue(lines.get(0).startsWith("2 cores"), lines.get(0));
        assertTrue(lines.get(1).startsWith("scenario"), lines.get(1));
        int width = lines.get(1).length();
        lines.subList(3, lines.size()).forEach(line -> assertEquals(width, line.length(), line));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("prepopulated") && l.contains("1,000,000")));
    }

    @Test
    void writerWritesJsonCopiesMarkdownAndSvgCharts(@TempDir Path directory) throws Exception {
        List<Path> written = ReportWriter.write(report, directory);
        assertTrue(Files.exists(directory.resolve("latest.json")));
        assertTrue(Files.exists(directory.resolve("run-20261123T120000Z.json")));
        assertTrue(Files.exists(directory.resolve("report.md")));
        for (String chart : List.of("ratio-vs-plain.svg", "throughput-send-receive.svg",
                "throughput-prepopulated.svg", "drops-receive-rate.svg")) {
            Path svg = directory.resolve(chart);
            assertTrue(written.contains(svg), chart);
            String text = Files.readString(svg, StandardCharsets.UTF_8);
            assertTrue(text.contains("<svg"), chart);
        }
        assertTrue(Files.readString(directory.resolve("report.md")).contains("(drops-receive-rate.svg)"));
    }

    private static JsonNode find(JsonNode array, String scenario, String system) {
        for (JsonNode node : array) {
            if (node.get("scenario").asText().equals(scenario) && node.get("system").asText().equals(system)) {
                return node;
            }
        }
        throw new AssertionError("no " + scenario + "/" + system);
    }
}
