package io.kmq.bench.internal;

import io.kmq.bench.BenchSettings;
import io.kmq.bench.RunResult;
import io.kmq.bench.Scenario;
import io.kmq.bench.SystemKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one system once in one scenario: opens the receiver on its own thread; in a live scenario primes the topic
 * until the receiver consumes, then sends on a producer thread; watches until every message is processed or nothing
 * progresses for the idle timeout; closes everything and deletes the run's topics. A run that fails is returned as a
 * failed {@link RunResult}, so one failure does not lose the rest of the benchmark.
 */
public final class RunExecutor {

    private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

    private final RunContext context;
    private final BenchSettings settings;

    /** An executor for runs sharing {@code context}. */
    public RunExecutor(RunContext context) {
        this.context = context;
        this.settings = context.settings();
    }

    /**
     * Runs {@code system} in a live scenario on a fresh topic, with {@code messages} messages
     * ({@link Scenario#LATENCY}: {@link BenchSettings#latencyMessages()}).
     */
    public RunResult live(Scenario scenario, SystemKind system, int round, int messages) {
        return live(scenario, system, round, messages, runName(scenario, system, round));
    }

    /** The {@code attempt}-th unrecorded warm-up run (send-receive), on a topic and with a group of its own. */
    public RunResult liveWarmup(SystemKind system, int attempt) {
        return live(Scenario.SEND_RECEIVE, system, 0, settings.warmupMessages(),
                warmupRunName(Scenario.SEND_RECEIVE, system, attempt));
    }

    private RunResult live(Scenario scenario, SystemKind system, int round, int messages, String runName) {
        int expected = scenario == Scenario.LATENCY ? settings.latencyMessages() : messages;
        DropPolicy drops = scenario == Scenario.DROPS
                ? new DropPolicy(settings.dropProbability(), settings.maxDrops(), settings.seed())
                : DropPolicy.NONE;
        try {
            context.kafka().createTopic(runName, settings.partitions());
            try (LoadSender sender = new LoadSender(context.bootstrapServers(), runName, settings.partitions(),
                    settings.messageSize(), scenario.acks(), Duration.ZERO, runName + "-producer")) {
                return withMarkers(measure(scenario, system, round, runName, runName,
                        new Tally(expected, settings.partitions(), drops, true), sender, expected), runName);
            }
        } catch (RuntimeException e) {
            return failed(scenario, system, round, e);
        } finally {
            context.admin().deleteRunTopicsQuietly(runName);
        }
    }

    /** Runs {@code system} on the pre-populated {@code topic} holding {@link BenchSettings#backlog()} messages. */
    public RunResult prepopulated(String topic, SystemKind system, int round) {
        return prepopulated(topic, system, round, runName(Scenario.PREPOPULATED, system, round));
    }

    /** The {@code attempt}-th unrecorded warm-up drain of the pre-populated {@code topic}, with a group of its own. */
    public RunResult prepopulatedWarmup(String topic, SystemKind system, int attempt) {
        return prepopulated(topic, system, 0, warmupRunName(Scenario.PREPOPULATED, system, attempt));
    }

    private RunResult prepopulated(String topic, SystemKind system, int round, String runName) {
        try {
            return withMarkers(measure(Scenario.PREPOPULATED, system, round, topic, runName,
                    new Tally(settings.backlog(), settings.partitions(), DropPolicy.NONE, false), null,
                    settings.backlog()), runName);
        } catch (RuntimeException e) {
            return failed(Scenario.PREPOPULATED, system, round, e);
        } finally {
            context.admin().deleteRunTopicsQuietly(runName);
        }
    }

    /**
     * Creates {@code topic} and fills it with {@link BenchSettings#backlog()} messages.
     *
     * @throws IllegalStateException if a message could not be written
     */
    public void populate(String topic) {
        context.kafka().createTopic(topic, settings.partitions());
        try (LoadSender sender = new LoadSender(context.bootstrapServers(), topic, settings.partitions(),
                settings.messageSize(), "all", Duration.ofMillis(20), topic + "-populate")) {
            sender.sendAsFastAsPossible(settings.backlog());
            if (sender.failed() > 0 || sender.acknowledged() != settings.backlog()) {
                throw new IllegalStateException("populating topic " + topic + ": " + sender.acknowledged() + " of "
                        + settings.backlog() + " messages written, " + sender.failed() + " failed",
                        sender.firstFailure());
            }
        }
    }

    /** The unique name of the {@code attempt}-th warm-up run: each repetition has a group and topics of its own. */
    private String warmupRunName(Scenario scenario, SystemKind system, int attempt) {
        return runName(scenario, system, 0) + "-" + attempt;
    }

    /** The unique name of a run: its consumer group, and the name or prefix of its topics. */
    public String runName(Scenario scenario, SystemKind system, int round) {
        return (context.prefix() + "-" + scenario.id() + "-" + system.id() + "-" + (round == 0 ? "warmup" : round))
                .toLowerCase(Locale.ROOT);
    }

    /**
     * @param sender null when pre-populated; then the window starts at the first delivery
     */
    private RunResult measure(Scenario scenario, SystemKind system, int round, String topic, String runName,
                              Tally tally, LoadSender sender, int expected) {
        long opened = System.nanoTime();
        Receiver receiver = Receivers.open(system, context, topic, runName, scenario == Scenario.DROPS);
        ReceiverThread receiving = new ReceiverThread(receiver, tally, "kmq-bench-receiver-" + system.id());
        Thread producing = null;
        AtomicReference<RuntimeException> producerFailure = new AtomicReference<>();
        try {
            receiving.start();
            long start = 0;
            if (sender != null) {
                sender.prime();
                awaitPrimed(tally, receiving, runName);
                producing = new Thread(() -> {
                    try {
                        send(scenario, sender, expected);
                    } catch (RuntimeException e) {
                        producerFailure.set(e);
                    }
                }, "kmq-bench-producer");
                start = System.nanoTime();
                producing.start();
            }
            Thread producer = producing;
            Monitor monitor = new Monitor(tally, () -> sender == null ? expected : sender.acknowledged(),
                    () -> sender == null ? tally.complete()
                            : !producer.isAlive() && tally.distinct() >= sender.acknowledged(),
                    () -> sender != null || tally.firstNanos() != 0, receiving, settings.sampleInterval(),
                    settings.idleTimeout());
            monitor.watch();
            stop(sender, producing, receiving);
            receiving.rethrow();
            checkSent(sender, producerFailure.get(), runName);
            if (sender == null) {
                start = tally.firstNanos();
            }
            double startupMs = start == 0 ? 0 : (start - opened) / 1e6;
            long sent = sender == null ? expected : sender.acknowledged();
            long processed = tally.distinct();
            double elapsed = processed == 0 ? 0 : (tally.lastNanos() - start) / 1e9;
            Histogram latency = tally.recordsLatency() ? tally.takeLatency() : null;
            return new RunResult(scenario, system, round, sent, tally.deliveries(), processed, tally.duplicates(),
                    tally.dropped(), Math.max(0, sent - processed), elapsed, elapsed > 0 ? processed / elapsed : 0,
                    startupMs, receiving.cpuNanos() < 0 ? -1 : receiving.cpuNanos() / 1e6,
                    monitor.cpuNanos() < 0 ? -1 : monitor.cpuNanos() / 1e6, monitor.cpuMsByThreadGroup(), -1, latency,
                    monitor.samples(start == 0 ? opened : start), monitor.timedOut(), null);
        } finally {
            try {
                stop(sender, producing, receiving);
            } finally {
                receiver.close();
            }
        }
    }

    /** Counts the markers of a kmq or original run, written by the time its receiver closed (before its deletion). */
    private RunResult withMarkers(RunResult run, String runName) {
        boolean marks = run.system() == SystemKind.KMQ || run.system() == SystemKind.ORIGINAL;
        return marks && run.ok() ? run.withMarkers(context.admin().offsetCount(Receivers.markersTopic(runName))) : run;
    }

    /** A run whose producer failed is not comparable: what was never sent cannot count as lost or not. */
    private static void checkSent(LoadSender sender, RuntimeException failure, String runName) {
        if (failure != null) {
            throw new IllegalStateException(runName + ": the producer failed", failure);
        }
        if (sender != null && sender.failed() > 0) {
            throw new IllegalStateException(runName + ": " + sender.failed() + " message(s) could not be sent",
                    sender.firstFailure());
        }
    }

    private void send(Scenario scenario, LoadSender sender, int expected) {
        if (scenario == Scenario.LATENCY) {
            sender.sendPaced(expected, settings.latencyRate());
        } else {
            sender.sendAwaitingBatches(expected, settings.sendBatch());
        }
    }

    private void awaitPrimed(Tally tally, ReceiverThread receiving, String runName) {
        long deadline = System.nanoTime() + settings.idleTimeout().toNanos();
        while (tally.primedPartitions() < settings.partitions()) {
            receiving.rethrow();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(runName + ": the receiver consumed " + tally.primedPartitions()
                        + " of " + settings.partitions() + " priming messages within " + settings.idleTimeout());
            }
            sleep(Duration.ofMillis(2));
        }
    }

    private static void stop(LoadSender sender, Thread producing, ReceiverThread receiving) {
        if (sender != null) {
            sender.stop();
        }
        receiving.stopAndJoin();
        if (producing != null) {
            try {
                producing.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RunResult failed(Scenario scenario, SystemKind system, int round, RuntimeException e) {
        log.error("{} / {} round {} failed", scenario, system, round, e);
        return new RunResult(scenario, system, round, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, Map.of(), -1, null, List.of(),
                false, e.toString());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
