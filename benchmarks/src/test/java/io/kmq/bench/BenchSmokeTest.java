package io.kmq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmq.bench.internal.ReportWriter;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario and system once, with tiny counts, on a real broker: nothing is lost, every field is sane, and the
 * report files are written. Asserts no speed.
 */
@KafkaTest
class BenchSmokeTest {

    @Test
    @Timeout(180)
    void everyScenarioAndSystemRunsWithNothingLost(KafkaEnvironment kafka, @TempDir Path out) throws Exception {
        BenchSettings settings = BenchSettings.quickBuilder()
                .messages(300)
                .backlog(2_000)
                .partitions(2)
                .repeats(1)
                .warmupMessages(0)
                .latencyRate(500)
                .latencyDuration(Duration.ofMillis(600))
                .sampleInterval(Duration.ofMillis(100))
                // the tracker in this JVM, so that the test stays short (its own JVM is tested by TrackerProcessTest)
                .kmqTracker(TrackerPlacement.IN_PROCESS)
                .build();
        List<String> progress = new ArrayList<>();
        BenchReport report = new Benchmark(settings, kafka, "test broker", line -> {
            progress.add(line);
            System.out.println(line);
        }).run();

        assertEquals(Scenario.values().length * settings.systems().size(), report.runs().size(), progress.toString());
        for (RunResult run : report.runs()) {
            String what = run.scenario() + "/" + run.system() + ": " + run;
            assertTrue(run.ok(), what);
            assertFalse(run.timedOut(), what);
            assertEquals(0, run.lost(), what);
            assertEquals(run.sent(), run.processed(), what);
            assertTrue(run.msgsPerS() > 0 && run.elapsedSeconds() > 0, what);
            assertTrue(run.receiverCpuMicrosPerDelivery() > 0, what);
            assertTrue(run.cpuMicrosPerMessage() > 0, what);
            assertTrue(run.cpuMicrosPerMessageByProcess().get("bench") > 0, what); // the broker is in this JVM here
            if (run.system() == SystemKind.ORIGINAL || (run.system() == SystemKind.KMQ
                    && run.scenario() == Scenario.DROPS)) {
                assertTrue(run.markersPerMessage() > 0, what); // a released record always has its markers
            } else if (run.system() == SystemKind.KMQ) {
                // counted, possibly 0: records processed before their START is written get none
                assertNotNull(run.markersPerMessage(), what);
            } else {
                assertNull(run.markersPerMessage(), what);
            }
            long expected = run.scenario() == Scenario.PREPOPULATED ? 2_000
                    : run.scenario() == Scenario.LATENCY ? settings.latencyMessages() : 300;
            assertEquals(expected, run.sent(), what);
            if (run.scenario() == Scenario.DROPS) {
                assertEquals(run.received(), run.processed() + run.dropped() + run.duplicates(), what);
                assertTrue(run.dropped() > 0, what);
            } else {
                assertEquals(0, run.dropped(), what);
            }
        }
        for (ResultRow row : report.rows()) {
            String what = row.toString();
            assertEquals(0, row.lost(), what);
            assertEquals(0, row.errors(), what);
            assertNotNull(row.ratioVsPlain(), what);
            if (row.scenario().equals(Scenario.PREPOPULATED.id())) {
                assertNull(row.p50Ms(), what);
            } else {
                assertTrue(row.p50Ms() >= 0 && row.p50Ms() <= row.p99Ms() && row.p99Ms() <= row.p999Ms()
                        && row.p999Ms() <= row.maxMs(), what);
            }
        }
        // the same deliveries are dropped for every system
        List<Long> dropReceives = report.runs().stream().filter(r -> r.scenario() == Scenario.DROPS)
                .map(r -> r.received() - r.duplicates()).distinct().toList();
        assertEquals(1, dropReceives.size(), dropReceives.toString());

        ReportWriter.write(report, out);
        assertTrue(Files.size(out.resolve("latest.json")) > 0);
        assertTrue(Files.readString(out.resolve("report.md")).contains("| drops | kmq |"));
        assertTrue(Files.exists(out.resolve("drops-receive-rate.svg")));
    }

    @Test
    @Timeout(180)
    void theOriginalClientsProtocolLosesNothingAndRedeliversDropsAfterTheirTimeout(KafkaEnvironment kafka) {
        BenchSettings settings = BenchSettings.quickBuilder()
                .scenarios(List.of(Scenario.SEND_RECEIVE, Scenario.PREPOPULATED, Scenario.DROPS))
                .systems(List.of(SystemKind.PLAIN, SystemKind.ORIGINAL))
                .messages(200)
                .backlog(1_000)
                .partitions(2)
                .repeats(1)
                .warmupMessages(0)
                .maxDrops(2)
                .kmqMessageTimeout(Duration.ofSeconds(2)) // no negative acknowledgment: drops wait for the timeout
                .kmqTracker(TrackerPlacement.IN_PROCESS)
                .build();
        BenchReport report = new Benchmark(settings, kafka, "test broker", System.out::println).run();

        assertEquals(6, report.runs().size());
        for (RunResult run : report.runs()) {
            String what = run.scenario() + "/" + run.system() + ": " + run;
            assertTrue(run.ok() && !run.timedOut(), what);
            assertEquals(0, run.lost(), what);
            assertEquals(run.sent(), run.processed(), what);
        }
        RunResult drops = report.runs().stream()
                .filter(r -> r.scenario() == Scenario.DROPS && r.system() == SystemKind.ORIGINAL).findFirst()
                .orElseThrow();
        assertTrue(drops.dropped() > 0 && drops.received() > drops.processed(), drops.toString());
        assertTrue(drops.elapsedSeconds() >= 2, "a dropped message comes back only after its 2 s timeout: " + drops);
    }

    @Test
    @Timeout(300)
    void forksRunTheBenchmarkInFreshJvmsAndPoolTheirRounds(KafkaEnvironment kafka, @TempDir Path out)
            throws Exception {
        StringWriter console = new StringWriter();
        int exit = BenchMain.commandLine(new BenchMain()).setOut(new PrintWriter(console)).execute("--forks", "2",
                "--bootstrap-servers", kafka.bootstrapServers(), "--quick", "--scenarios", "prepopulated",
                "--systems", "plain,kmq", "--backlog", "2000", "--partitions", "2", "--repeats", "1",
                "--warmup-messages", "0", "--kmq-tracker", "in-process", "--out", out.toString());

        assertEquals(0, exit, console.toString());
        assertTrue(console.toString().contains("[fork 2/2] "), console.toString());
        for (String fork : List.of("fork-1", "fork-2")) {
            assertTrue(Files.exists(out.resolve(fork).resolve("latest.json")), fork);
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("forks.json").toFile());
        assertEquals(2, summary.get("forks").asInt());
        JsonNode prepopulated = summary.get("targets").get(1);
        assertTrue(prepopulated.get("goal").asText().startsWith("prepopulated throughput kmq/plain"));
        assertEquals(2, prepopulated.get("per_round").size(), "one round of each fork");
        assertEquals(2, prepopulated.get("fork_medians").size());
        assertTrue(Files.readString(out.resolve("forks.md")).contains("| prepopulated throughput kmq/plain"));
    }

    @Test
    @Timeout(120)
    void prepopulatedBacklogIsDrainedOnceUnrecordedBeforeTheRounds(KafkaEnvironment kafka) {
        BenchSettings settings = BenchSettings.quickBuilder()
                .scenarios(List.of(Scenario.PREPOPULATED))
                .systems(List.of(SystemKind.PLAIN))
                .backlog(1_000)
                .partitions(2)
                .repeats(1)
                .warmupMessages(100)
                .build();
        BenchReport report = new Benchmark(settings, kafka, "test broker", System.out::println).run();

        List<String> runs = report.runs().stream()
                .map(r -> r.scenario().id() + "/" + (r.warmup() ? "warmup" : r.round()) + "/" + r.processed())
                .toList();
        assertEquals(List.of("send-receive/warmup/100", "prepopulated/warmup/1000", "prepopulated/1/1000"), runs);
        RunResult measured = report.runs().get(2);
        ResultRow row = report.rows().get(0);
        assertEquals(measured.msgsPerS(), row.msgsPerS(), 1e-9, "the median is the measured round's, not the drain's");
    }

    @Test
    @Timeout(180)
    void eachWarmUpIsRepeatedWhileTheSystemsCodeIsStillBeingCompiled(KafkaEnvironment kafka) {
        BenchSettings settings = BenchSettings.quickBuilder()
                .scenarios(List.of(Scenario.PREPOPULATED))
                .systems(List.of(SystemKind.PLAIN, SystemKind.KMQ))
                .backlog(2_000)
                .partitions(2)
                .repeats(1)
                .warmupMessages(100)
                .warmupRuns(3)
                .kmqTracker(TrackerPlacement.IN_PROCESS)
                .build();
        BenchReport report = new Benchmark(settings, kafka, "test broker", System.out::println).run();

        for (SystemKind system : settings.systems()) {
            assertRepeatedUntilCompiled(report, Scenario.SEND_RECEIVE, system, settings.warmupMessages());
            assertRepeatedUntilCompiled(report, Scenario.PREPOPULATED, system, settings.backlog());
            assertEquals(1, report.runs().stream()
                    .filter(r -> r.scenario() == Scenario.PREPOPULATED && r.system() == system && !r.warmup())
                    .count(), system + " measured rounds");
        }
    }

    /** At most 3 warm-ups, each complete; all but the last still compiling; the last compiled unless the third. */
    private static void assertRepeatedUntilCompiled(BenchReport report, Scenario scenario, SystemKind system,
                                                    int messages) {
        List<RunResult> warmUps = report.runs().stream()
                .filter(r -> r.scenario() == scenario && r.system() == system && r.warmup())
                .toList();
        String what = system + " " + scenario + " warm-ups, JIT shares "
                + warmUps.stream().map(RunResult::jitCpuShare).toList();
        assertTrue(warmUps.size() >= 1 && warmUps.size() <= 3, what);
        for (RunResult warmUp : warmUps) {
            assertTrue(warmUp.ok() && !warmUp.timedOut(), what + ": " + warmUp);
            assertEquals(messages, warmUp.processed(), "each warm-up processes all its messages: " + warmUp);
        }
        for (RunResult warmUp : warmUps.subList(0, warmUps.size() - 1)) {
            assertFalse(Benchmark.isCompiled(warmUp), "repeated only while compiling: " + what);
        }
        RunResult last = warmUps.get(warmUps.size() - 1);
        assertTrue(warmUps.size() == 3 || Benchmark.isCompiled(last), "stopped only once compiled: " + what);
    }
}
