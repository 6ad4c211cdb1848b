package io.kmq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchMainTest {

    private static BenchSettings parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.settings();
    }

    @Test
    void quickDefaultsApplyUnlessAnOptionOverridesThem() {
        BenchSettings s = parse("--quick", "--messages", "123", "--systems", "kmq,plain", "--latency-duration", "2s");
        assertTrue(s.quick());
        assertEquals(123, s.messages());
        assertEquals(BenchSettings.quickBuilder().build().backlog(), s.backlog());
        assertEquals(List.of(SystemKind.KMQ, SystemKind.PLAIN), s.systems());
        assertEquals(Duration.ofSeconds(2), s.latencyDuration());
    }

    @Test
    void withoutQuickTheFullDefaultsApply() {
        BenchSettings s = parse("--scenarios", "prepopulated", "--kmq-timeout", "PT5S");
        assertEquals(BenchSettings.builder().build().backlog(), s.backlog());
        assertEquals(List.of(Scenario.PREPOPULATED), s.scenarios());
        assertEquals(Duration.ofSeconds(5), s.kmqMessageTimeout());
        assertEquals(TrackerPlacement.JVM, s.kmqTracker(), "one warm tracker JVM unless told otherwise");
        assertEquals(TrackerPlacement.JVM_PER_RUN, parse("--kmq-tracker", "jvm-per-run").kmqTracker());
        assertFalse(s.kmqAckBatch(), "one processed call per record, as the seed's receiver");
        assertTrue(parse("--kmq-ack-batch").kmqAckBatch());
    }

    @Test
    void plainConfigReachesOnlyThePlainReceiversProperties() {
        BenchSettings s = parse("--plain-config", "isolation.level=read_committed", "--plain-config",
                "fetch.max.wait.ms=100", "--kmq-config", "max.poll.records=2000");
        assertEquals(Map.of("isolation.level", "read_committed", "fetch.max.wait.ms", "100"),
                s.plainProperties());
        assertEquals(Map.of("max.poll.records", "2000"), s.kmqProperties());
        assertTrue(parse().plainProperties().isEmpty(), "plain keeps Kafka's defaults unless told otherwise");
    }

    @Test
    void repeatsSetsEveryScenarioUnlessThroughputRepeatsIsGiven() {
        assertEquals(7, parse().repeats(Scenario.SEND_RECEIVE));
        assertEquals(2, parse("--repeats", "2").repeats(Scenario.SEND_RECEIVE));
        BenchSettings both = parse("--throughput-repeats", "9", "--repeats", "2");
        assertEquals(9, both.repeats(Scenario.PREPOPULATED));
        assertEquals(2, both.repeats(Scenario.DROPS));
    }

    @Test
    void badOptionsExitWithCode2AndAMessageNamingTheValue() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchMain()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--messages", "0"));
        assertTrue(err.toString().contains("messages : 0 (expected: >= 1)"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--scenarios", "fast"));
        assertTrue(err.toString().contains("scenario : fast"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--idle-timeout", "soon"));
        assertTrue(err.toString().contains("'soon' is not a duration"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--forks", "0"));
        assertTrue(err.toString().contains("--forks : 0 (expected: >= 1)"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--kmq-tracker", "cloud"));
        assertTrue(err.toString().contains(
                "--kmq-tracker : cloud (expected one of: jvm, jvm-per-run, in-process, none)"), err.toString());
    }

    @Test
    void helpDocumentsEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchMain()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
            assertTrue(out.toString().contains(option.longestName()), option.longestName());
            assertTrue(option.description().length > 0, option.longestName());
        }
        assertTrue(out.toString().contains("jmh"));
    }
}
