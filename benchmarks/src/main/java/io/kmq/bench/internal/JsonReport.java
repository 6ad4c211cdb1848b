package io.kmq.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmq.bench.BenchReport;
import io.kmq.bench.BenchSettings;
import io.kmq.bench.Machine;
import io.kmq.bench.ResultRow;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON ({@code latest.json}): {@code results} holds one object per scenario and system with the fields
 * scenario, system, msgs_per_s, msgs_per_s_min, msgs_per_s_max, runs, p50_ms, p90_ms, p99_ms, p999_ms, max_ms, sent,
 * received, lost, ratio_vs_plain, deliveries_per_message, startup_ms, receiver_cpu_us_per_msg, cpu_us_per_msg,
 * markers_per_msg, errors ({@link ResultRow}); {@code runs} holds every run with, besides those, its CPU time per
 * message by process and by thread group (those of at least 2 % of the total; {@link RunResult#cpuMsByThreadGroup()}),
 * the JIT compilers' share of its CPU ({@code jit_cpu_share}), and the drop scenario's runs carry their samples over
 * time. Latencies are null where not measured.
 */
public final class JsonReport {

    private static final double THREAD_GROUP_MIN_SHARE = 0.02;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    /** The JSON text of {@code report}. */
    public static String render(BenchReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("generated_at", report.startedAt().toString());
        root.put("duration_s", round(report.duration().toMillis() / 1000.0, 1));
        root.put("command", report.command());
        root.set("machine", machine(report.machine()));
        root.set("settings", settings(report.settings()));
        ArrayNode results = root.putArray("results");
        report.rows().forEach(row -> results.add(row(row)));
        ArrayNode targets = root.putArray("targets");
        Targets.check(report).forEach(t -> targets.add(target(t)));
        ArrayNode runs = root.putArray("runs");
        report.runs().forEach(run -> runs.add(run(run)));
        return text(root);
    }

    /** {@code node} as indented JSON text, with a final line break. */
    static String text(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node) + System.lineSeparator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report as JSON", e);
        }
    }

    /** A new empty JSON object. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * One goal as JSON: goal, target, bound, at_least, ratio, measured, met, and when judged by rounds per_round (and
     * ci95_low / ci95_high, the median's 95 % interval, from 6 rounds).
     */
    static ObjectNode target(Targets.Target t) {
        ObjectNode target = MAPPER.createObjectNode();
        target.put("goal", t.goal());
        target.put("target", t.target());
        target.put("bound", t.bound());
        target.put("at_least", t.atLeast());
        target.put("ratio", t.ratio());
        putRounded(target, "measured", t.measured(), 4);
        if (t.met() == null) {
            target.putNull("met");
        } else {
            target.put("met", t.met());
        }
        t.interval().ifPresent(interval -> {
            putRounded(target, "ci95_low", interval.low(), 4);
            putRounded(target, "ci95_high", interval.high(), 4);
        });
        if (!t.perRound().isEmpty()) {
            ArrayNode rounds = target.putArray("per_round");
            t.perRound().forEach(value -> rounds.add(round(value, 4)));
        }
        return target;
    }

    /**
     * The goals of a report written by {@link #render}, judged again from their rounds.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the file when it has no goals with bounds (not such a report)
     */
    public static List<Targets.Target> readTargets(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark report " + file, e);
        }
        JsonNode targets = root.path("targets");
        if (!targets.isArray() || targets.isEmpty()) {
            throw new IllegalArgumentException(file + " has no \"targets\": not a report of kmq bench");
        }
        List<Targets.Target> result = new ArrayList<>();
        for (JsonNode t : targets) {
            if (!t.path("bound").isNumber() || !t.path("at_least").isBoolean()) {
                throw new IllegalArgumentException(file + ": goal " + t.path("goal") + " has no bound or at_least "
                        + "(written by an older kmq bench)");
            }
            List<Double> rounds = new ArrayList<>();
            t.path("per_round").forEach(value -> rounds.add(value.asDouble()));
            result.add(Targets.judge(t.path("goal").asText(), t.path("bound").asDouble(),
                    t.path("at_least").asBoolean(), t.path("ratio").asBoolean(true), rounds));
        }
        return result;
    }

    private static ObjectNode machine(Machine machine) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("cores", machine.cores());
        node.put("memory_mb", machine.memoryMb());
        node.put("os", machine.os());
        node.put("jvm", machine.jvm());
        node.put("max_heap_mb", machine.maxHeapMb());
        node.put("broker", machine.broker());
        return node;
    }

    private static ObjectNode settings(BenchSettings s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("quick", s.quick());
        ArrayNode scenarios = node.putArray("scenarios");
        s.scenarios().forEach(x -> scenarios.add(x.id()));
        ArrayNode systems = node.putArray("systems");
        s.systems().forEach(x -> systems.add(x.id()));
        node.put("messages", s.messages());
        node.put("backlog", s.backlog());
        node.put("message_size", s.messageSize());
        node.put("partitions", s.partitions());
        node.put("repeats", s.repeats());
        node.put("throughput_repeats", s.throughputRepeats());
        node.put("warmup_messages", s.warmupMessages());
        node.put("warmup_runs", s.warmupRuns());
        node.put("send_batch", s.sendBatch());
        node.put("latency_rate", s.latencyRate());
        node.put("latency_duration_s", s.latencyDuration().toMillis() / 1000.0);
        node.put("drop_probability", s.dropProbability());
        node.put("max_drops", s.maxDrops());
        node.put("seed", s.seed());
        node.put("kmq_message_timeout_ms", s.kmqMessageTimeout().toMillis());
        node.put("kmq_max_in_flight", s.kmqMaxInFlight());
        node.put("kmq_ack_batch", s.kmqAckBatch());
        node.put("kmq_tracker", s.kmqTracker().flag());
        s.kmqProperties().forEach((key, value) -> node.put(key, value));
        s.trackerProperties().forEach((key, value) -> node.put(key, value));
        if (!s.plainProperties().isEmpty()) {
            ObjectNode plain = node.putObject("plain_config");
            s.plainProperties().forEach(plain::put);
        }
        node.put("idle_timeout_s", s.idleTimeout().toMillis() / 1000.0);
        node.put("sample_interval_ms", s.sampleInterval().toMillis());
        return node;
    }

    private static ObjectNode row(ResultRow row) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("scenario", row.scenario());
        node.put("system", row.system());
        node.put("msgs_per_s", round(row.msgsPerS(), 1));
        node.put("msgs_per_s_min", round(row.msgsPerSMin(), 1));
        node.put("msgs_per_s_max", round(row.msgsPerSMax(), 1));
        node.put("runs", row.runs());
        putMs(node, "p50_ms", row.p50Ms());
        putMs(node, "p90_ms", row.p90Ms());
        putMs(node, "p99_ms", row.p99Ms());
        putMs(node, "p999_ms", row.p999Ms());
        putMs(node, "max_ms", row.maxMs());
        node.put("sent", row.sent());
        node.put("received", row.received());
        node.put("lost", row.lost());
        if (row.ratioVsPlain() == null) {
            node.putNull("ratio_vs_plain");
        } else {
            node.put("ratio_vs_plain", round(row.ratioVsPlain(), 4));
        }
        node.put("deliveries_per_message", round(row.deliveriesPerMessage(), 4));
        node.put("startup_ms", round(row.startupMs(), 1));
        putRounded(node, "receiver_cpu_us_per_msg", row.receiverCpuUs(), 3);
        putRounded(node, "cpu_us_per_msg", row.cpuUs(), 3);
        putRounded(node, "markers_per_msg", row.markersPerMessage(), 4);
        node.put("errors", row.errors());
        return node;
    }

    private static ObjectNode run(RunResult run) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("scenario", run.scenario().id());
        node.put("system", run.system().id());
        node.put("round", run.round());
        node.put("warmup", run.warmup());
        node.put("msgs_per_s", round(run.msgsPerS(), 1));
        node.put("elapsed_s", round(run.elapsedSeconds(), 4));
        node.put("sent", run.sent());
        node.put("received", run.received());
        node.put("processed", run.processed());
        node.put("duplicates", run.duplicates());
        node.put("dropped", run.dropped());
        node.put("lost", run.lost());
        node.put("startup_ms", round(run.startupMs(), 1));
        putRounded(node, "receiver_cpu_us_per_msg", run.receiverCpuMicrosPerDelivery(), 3);
        putRounded(node, "cpu_us_per_msg", run.cpuMicrosPerMessage(), 3);
        putRounded(node, "markers_per_msg", run.markersPerMessage(), 4);
        putRounded(node, "jit_cpu_share", run.jitCpuShare(), 3);
        putPerMessage(node.putObject("cpu_us_per_msg_by_process"), run.cpuMicrosPerMessageByProcess());
        putPerMessage(node.putObject("cpu_us_per_msg_by_thread"),
                run.cpuMicrosPerMessageByThreadGroup(THREAD_GROUP_MIN_SHARE));
        boolean latency = run.latencyMicros() != null && run.latencyMicros().getTotalCount() > 0;
        putMs(node, "p50_ms", latency ? Results.percentileMs(run.latencyMicros(), 50) : null);
        putMs(node, "p99_ms", latency ? Results.percentileMs(run.latencyMicros(), 99) : null);
        putMs(node, "max_ms", latency ? run.latencyMicros().getMaxValue() / 1000.0 : null);
        node.put("timed_out", run.timedOut());
        if (run.error() == null) {
            node.putNull("error");
        } else {
            node.put("error", run.error());
        }
        if (run.scenario() == Scenario.DROPS) {
            ArrayNode samples = node.putArray("samples");
            for (RunResult.Sample s : run.samples()) {
                ArrayNode sample = samples.addArray();
                sample.add(round(s.seconds(), 3)).add(s.sent()).add(s.received()).add(s.processed());
            }
            node.put("samples_columns", "seconds, sent, received, processed");
        }
        return node;
    }

    private static void putPerMessage(ObjectNode node, Map<String, Double> micros) {
        micros.forEach((key, value) -> node.put(key, round(value, 4)));
    }

    private static void putMs(ObjectNode node, String field, Double millis) {
        putRounded(node, field, millis, 3);
    }

    private static void putRounded(ObjectNode node, String field, Double value, int decimals) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, round(value, decimals));
        }
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return 0;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
