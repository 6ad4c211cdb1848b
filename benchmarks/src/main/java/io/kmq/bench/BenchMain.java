package io.kmq.bench;

import io.kmq.bench.internal.BrokerProcess;
import io.kmq.bench.internal.ConsoleTable;
import io.kmq.bench.internal.ForkRunner;
import io.kmq.bench.internal.ReportWriter;
import io.kmq.internal.DurationConverter;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.internal.AdminBackedEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./kmq bench}: compares kmq with a plain Kafka consumer and a share consumer, in the seed benchmark's
 * scenarios, on one broker, in one run; prints a table and writes {@code latest.json}, a timestamped copy,
 * {@code report.md} and SVG charts. {@code ./kmq bench jmh} runs the JMH microbenchmarks.
 */
@Command(name = "kmq bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        subcommands = JmhCommand.class,
        description = {
            "Compares kmq (KmqClient + redelivery tracker), a plain KafkaConsumer (commits every second) and a share "
                    + "consumer (explicit ACCEPT) on the same broker and topics, in one run.",
            "Scenarios: send-receive (acks=all), send-receive-acks1, prepopulated, drops (50 %%), latency (paced).",
            "Each scenario: rounds of plain, kmq, share, plain, ... after a warm-up; the report gives the median "
                    + "and the spread. Sizes below: full default, and the --quick default.",
            ""},
        footer = {"", "Exit code: 0 when every run finished with nothing lost, 3 when a run failed or lost "
                + "messages, 2 on a bad option.",
            "Run the jar directly with a fixed, pre-touched heap, as ./kmq bench does: java " + BenchMain.PRE_TOUCHED
                    + " -jar kmq-bench.jar ...",
            "Profile with JFR: java -XX:StartFlightRecording=filename=bench.jfr -jar kmq-bench.jar --quick "
                    + "--scenarios prepopulated --systems kmq", ""})
public final class BenchMain implements Callable<Integer> {

    /** The benchmark JVM's heap options in {@code ./kmq bench}: fixed and touched at start-up. */
    static final String PRE_TOUCHED = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch";

    @Option(names = "--quick", description = "Every scenario and system, small: finishes in under 3 minutes.")
    boolean quick;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this external cluster instead of starting a broker.")
    String bootstrapServers;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = "Brokers of the in-process cluster started in a child JVM (default: ${DEFAULT-VALUE}). "
                    + "3 gives the seed's setup: replication factor 3, min.insync.replicas 2.")
    int brokers;

    @Option(names = "--broker-heap", paramLabel = "SIZE", defaultValue = "2g",
            description = "Max heap of the broker JVM (default: ${DEFAULT-VALUE}).")
    String brokerHeap;

    @Option(names = "--scenarios", split = ",", paramLabel = "S",
            description = "Scenarios to run (default: all): send-receive, send-receive-acks1, prepopulated, drops, "
                    + "latency.")
    List<String> scenarios;

    @Option(names = "--systems", split = ",", paramLabel = "S",
            description = "Systems to compare, in round order (default: plain,kmq,share). Also: original (the "
                    + "original softwaremill/kmq client's protocol on kmq's tracker: a START per record awaited and a "
                    + "synchronous commit per poll; drops wait for the message timeout).")
    List<String> systems;

    @Option(names = "--messages", paramLabel = "N",
            description = "Messages per run in the live scenarios (default: 100000; quick: 3000).")
    Integer messages;

    @Option(names = "--backlog", paramLabel = "N",
            description = "Messages in the pre-populated topic (default: 2000000; quick: 100000).")
    Integer backlog;

    @Option(names = "--message-size", paramLabel = "BYTES", description = "Bytes per message (default: 100).")
    Integer messageSize;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions per topic (default: 8).")
    Integer partitions;

    @Option(names = "--repeats", paramLabel = "N",
            description = "Measured runs per scenario and system (default: 3; quick: 2); also sets "
                    + "--throughput-repeats unless that is given.")
    Integer repeats;

    @Option(names = "--throughput-repeats", paramLabel = "N",
            description = "Measured runs per system in send-receive, send-receive-acks1 and prepopulated, whose runs "
                    + "take seconds and whose kmq/plain ratio spreads most from round to round (default: 7; quick: 2).")
    Integer throughputRepeats;

    @Option(names = "--warmup-messages", paramLabel = "N",
            description = "Messages of each system's warm-up run, 0 for none (default: 20000; quick: 2000); "
                    + "unless 0, each system also drains the pre-populated backlog before its rounds.")
    Integer warmupMessages;

    @Option(names = "--warmup-runs", paramLabel = "N",
            description = "Most unrecorded runs of each warm-up per system, the live one and the pre-populated "
                    + "drain (default: 6; quick: 1): each is repeated until the JIT compilers of all JVMs used less "
                    + "than 10 %% of its CPU.")
    Integer warmupRuns;

    @Option(names = "--send-batch", paramLabel = "N",
            description = "Messages the live producer sends before awaiting them (default: 10, as the seed).")
    Integer sendBatch;

    @Option(names = "--latency-rate", paramLabel = "MSG/S",
            description = "Send rate of the latency scenario (default: 5000; quick: 2000).")
    Integer latencyRate;

    @Option(names = "--latency-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the latency scenario sends (default: 10s; quick: 2s).")
    Duration latencyDuration;

    @Option(names = "--drop-probability", paramLabel = "P",
            description = "Share of deliveries dropped in the drops scenario (default: 0.5).")
    Double dropProbability;

    @Option(names = "--max-drops", paramLabel = "N",
            description = "Most drops of one message; the next delivery is processed (default and max: 4).")
    Integer maxDrops;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the drop decisions (default: 42).")
    Long seed;

    @Option(names = "--kmq-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "kmq.message.timeout.ms (default: 30s).")
    Duration kmqTimeout;

    @Option(names = "--kmq-max-in-flight", paramLabel = "N", description = "kmq.max.in.flight (default: 10000).")
    Integer kmqMaxInFlight;

    @Option(names = "--kmq-ack-batch", description = "kmq's receiver acknowledges each batch's processed records "
            + "with one KmqClient.processedAll call instead of processed per record (the default, as the seed).")
    boolean kmqAckBatch;

    @Option(names = "--kmq-config", paramLabel = "KEY=VALUE",
            description = "Any further setting of the KmqClient, repeatable: kmq.* keys or Kafka client properties "
                    + "(e.g. kmq.marker.ranges=false, kmq.prefetch.batches=0, max.poll.records=2000).")
    Map<String, String> kmqConfig;

    @Option(names = "--plain-config", paramLabel = "KEY=VALUE",
            description = "A Kafka consumer property of the plain receiver, repeatable (e.g. "
                    + "isolation.level=read_committed, kmq's isolation level).")
    Map<String, String> plainConfig;

    @Option(names = "--tracker-config", paramLabel = "KEY=VALUE",
            description = "A setting of kmq's redelivery tracker, repeatable: kmq.tracker.* keys (e.g. "
                    + "kmq.tracker.commit.interval.ms=100, kmq.tracker.streams.main.consumer.fetch.max.wait.ms=20).")
    Map<String, String> trackerConfig;

    @Option(names = "--kmq-tracker", paramLabel = "WHERE",
            description = "Where kmq's redelivery tracker runs: jvm (one JVM of its own kept for the whole benchmark, "
                    + "a tracker started in it per kmq run: a warm sidecar, as deployed; default), jvm-per-run (a "
                    + "fresh JVM per kmq run, whose start-up and JIT warm-up compete with the run), in-process (in "
                    + "the benchmark's JVM, competing with the client for CPU) or none (not running: nothing is "
                    + "redelivered, so not with the drops scenario; measures what the tracker costs).")
    String kmqTracker;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop a run that makes no progress for this long; the rest counts as lost "
                    + "(default: 60s; quick: 30s).")
    Duration idleTimeout;

    @Option(names = "--sample-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Sampling of the receive rate over time (default: 500ms; quick: 250ms).")
    Duration sampleInterval;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write latest.json, the timestamped copy, report.md and the charts (default: "
                    + "benchmarks/results of the source tree the jar was built in, else ./kmq-bench-results).")
    Path out;

    @Option(names = "--forks", paramLabel = "N", defaultValue = "1",
            description = "Run the whole benchmark N times, one after another, each in a fresh JVM (with "
                    + PRE_TOUCHED + ") and broker, like JMH's forks, and judge kmq's goals on the rounds of all of "
                    + "them: the rounds of one JVM share its compiled code and memory layout, which can favour one "
                    + "system in all of them. Each fork's report goes to DIR/fork-N, the summary to DIR/forks.md and "
                    + "forks.json (default: ${DEFAULT-VALUE}).")
    int forks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        BenchMain main = new BenchMain();
        System.exit(commandLine(main).execute(args));
    }

    /** The picocli command of {@code main}: everything after {@code jmh} goes to JMH unparsed, in order. */
    static CommandLine commandLine(BenchMain main) {
        CommandLine cli = new CommandLine(main);
        cli.getSubcommands().get("jmh").setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
        return cli;
    }

    @Override
    public Integer call() {
        BenchSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (forks < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--forks : " + forks + " (expected: >= 1)");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        Consumer<String> progress = line -> {
            stdout.println(line);
            stdout.flush();
        };
        Path results = out != null ? out : defaultResultsDirectory();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = ("kmq bench " + String.join(" ", args)).trim();
        if (forks > 1) {
            return ForkRunner.run(BenchMain.class.getName(), args, forks, results, List.of(PRE_TOUCHED.split(" ")),
                    command, progress);
        }
        BenchReport report;
        Path brokerLog = bootstrapServers != null ? null : Paths.get(System.getProperty("java.io.tmpdir"),
                "kmq-bench-broker-" + ProcessHandle.current().pid() + ".log");
        try (KafkaEnvironment kafka = startKafka(progress, brokerLog)) {
            String broker = bootstrapServers != null ? "external cluster at " + bootstrapServers + " ("
                    + kafka.brokerCount() + " broker(s))"
                    : "in-process KRaft, " + brokers + " broker(s) in a separate JVM (-Xmx" + brokerHeap
                    + ", heap pre-touched)";
            if (!heapPreTouched()) {
                progress.accept("note: this JVM's heap is not pre-touched; ./kmq bench starts it with " + PRE_TOUCHED
                        + ", since first-touch page faults of a growing heap (costly on VMs) land in measured runs");
            }
            progress.accept("broker: " + broker + "; " + settings.scenarios().size() + " scenario(s) x "
                    + settings.systems().size() + " system(s), " + settings.describeRepeats());
            report = new Benchmark(settings, kafka, broker, progress).run()
                    .withCommand(command);
        }
        stdout.println();
        stdout.print(ConsoleTable.render(report));
        List<Path> written = ReportWriter.write(report, results);
        stdout.println();
        written.forEach(path -> stdout.println("wrote " + path));
        stdout.flush();
        boolean clean = report.runs().stream().allMatch(r -> r.ok() && !r.timedOut() && r.lost() == 0);
        keepBrokerLogIf(!clean, brokerLog, stdout);
        return clean ? 0 : 3;
    }

    BenchSettings settings() {
        BenchSettings.Builder b = quick ? BenchSettings.quickBuilder() : BenchSettings.builder();
        if (scenarios != null) {
            b.scenarios(scenarios.stream().map(Scenario::of).toList());
        }
        if (systems != null) {
            b.systems(systems.stream().map(SystemKind::of).toList());
        }
        setIf(messages, b::messages);
        setIf(backlog, b::backlog);
        setIf(messageSize, b::messageSize);
        setIf(partitions, b::partitions);
        setIf(repeats, b::repeats);
        setIf(throughputRepeats, b::throughputRepeats);
        setIf(warmupMessages, b::warmupMessages);
        setIf(warmupRuns, b::warmupRuns);
        setIf(sendBatch, b::sendBatch);
        setIf(latencyRate, b::latencyRate);
        setIf(latencyDuration, b::latencyDuration);
        setIf(dropProbability, b::dropProbability);
        setIf(maxDrops, b::maxDrops);
        setIf(seed, b::seed);
        setIf(kmqTimeout, b::kmqMessageTimeout);
        setIf(kmqMaxInFlight, b::kmqMaxInFlight);
        b.kmqAckBatch(kmqAckBatch);
        setIf(kmqConfig, b::kmqProperties);
        setIf(plainConfig, b::plainProperties);
        setIf(trackerConfig, b::trackerProperties);
        if (kmqTracker != null) {
            b.kmqTracker(TrackerPlacement.ofFlag(kmqTracker));
        }
        setIf(idleTimeout, b::idleTimeout);
        setIf(sampleInterval, b::sampleInterval);
        if (brokers < 1 || brokers > 9) {
            throw new IllegalArgumentException("--brokers : " + brokers + " (expected: 1 to 9)");
        }
        return b.build();
    }

    private static <T> void setIf(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** An external cluster when {@code --bootstrap-servers} is given, else a broker JVM logging to {@code log}. */
    private KafkaEnvironment startKafka(Consumer<String> progress, Path log) {
        if (bootstrapServers != null) {
            return new AdminBackedEnvironment(bootstrapServers, null);
        }
        progress.accept("starting " + brokers + " broker(s) in a child JVM (log: " + log + ")");
        // pre-touched heap: on a VM, first-touch page faults of a growing heap otherwise land in measured runs
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + brokerHeap, "-Xms" + brokerHeap, "-XX:+AlwaysPreTouch"));
        return BrokerProcess.start(brokers, jvm, log);
    }

    /**
     * Deletes the broker JVM's log after a clean benchmark (so that runs do not pile logs up in the temporary
     * directory); keeps it, and says where, when a run failed, timed out or lost messages.
     */
    private static void keepBrokerLogIf(boolean keep, Path log, PrintWriter stdout) {
        if (log == null) {
            return;
        }
        if (keep) {
            stdout.println("broker log kept: " + log);
            return;
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            stdout.println("broker log " + log + " not deleted: " + e);
        }
    }

    /** Whether this JVM was started with its heap touched at start-up, as {@code ./kmq bench} does. */
    static boolean heapPreTouched() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch");
    }

    /** {@code benchmarks/results} when running from {@code benchmarks/target/kmq-bench.jar}, else a local directory. */
    static Path defaultResultsDirectory() {
        Path fallback = Paths.get("kmq-bench-results").toAbsolutePath();
        CodeSource source = BenchMain.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return fallback;
        }
        Path jar;
        try {
            jar = Paths.get(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return fallback; // not a file location (a custom class loader): nothing to derive it from
        }
        Path target = jar.getParent();
        Path module = target == null ? null : target.getParent();
        if (module != null && "target".equals(String.valueOf(target.getFileName()))
                && Files.exists(module.resolve("pom.xml"))) {
            return module.resolve("results");
        }
        return fallback;
    }
}
