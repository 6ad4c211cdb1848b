package io.kmq.bench.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.redelivery.TrackerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts kmq's redelivery tracker ({@link RedeliveryTracker}) for a kmq run. */
public final class Trackers {

    private static final Logger log = LoggerFactory.getLogger(Trackers.class);

    /** How long a tracker may take to run and catch up with its markers (join its group, open its stores). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private Trackers() {
    }

    /**
     * A launcher of real trackers, one per run: its own application id (the run's group + {@code -tracker}), a
     * temporary state directory deleted on close, internal topics replicated {@code replicationFactor} times, and
     * {@code settings} ({@code kmq.tracker.*} keys) on top of the defaults (the run's application id, state directory
     * and replication factor win).
     */
    public static TrackerLauncher redelivery(short replicationFactor, Map<String, String> settings) {
        return config -> start(config, replicationFactor, settings);
    }

    /**
     * A launcher of trackers each in a JVM of its own ({@link TrackerProcess}), as deployed, with the same settings as
     * {@link #redelivery}; the temporary directory is deleted once the JVM stopped.
     */
    public static TrackerLauncher process(short replicationFactor, Map<String, String> settings) {
        return config -> {
            Path directory = temporaryDirectory(config);
            AutoCloseable tracker;
            try {
                tracker = TrackerProcess.start(config, replicationFactor, settings, directory, START_TIMEOUT);
            } catch (RuntimeException e) {
                deleteQuietly(directory);
                throw e;
            }
            return () -> {
                try {
                    tracker.close();
                } finally {
                    deleteQuietly(directory);
                }
            };
        };
    }

    /**
     * A launcher of trackers in one JVM of their own kept for the whole benchmark ({@link TrackerHost}), with the same
     * settings as {@link #redelivery}; close it at the end of the benchmark to stop that JVM.
     */
    public static TrackerLauncher sharedProcess(short replicationFactor, Map<String, String> settings) {
        return new TrackerHost(replicationFactor, settings);
    }

    /** The last five lines of a log file, joined, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static Path temporaryDirectory(KmqConfig config) {
        try {
            return Files.createTempDirectory("kmq-bench-tracker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the tracker of " + config.topic(), e);
        }
    }

    private static AutoCloseable start(KmqConfig config, short replicationFactor, Map<String, String> extra) {
        Path stateDir = temporaryDirectory(config);
        TrackerSettings.Builder builder = TrackerSettings.builder();
        extra.forEach(builder::set);
        TrackerSettings settings;
        try {
            settings = builder.applicationId(config.groupId() + "-tracker")
                    .stateDir(stateDir)
                    .replicationFactor(replicationFactor)
                    .build();
        } catch (RuntimeException e) {
            deleteQuietly(stateDir);
            throw e;
        }
        RedeliveryTracker tracker;
        try {
            tracker = RedeliveryTracker.start(settings, config);
        } catch (RuntimeException e) {
            deleteQuietly(stateDir);
            throw e;
        }
        AutoCloseable stop = () -> {
            try {
                tracker.close();
            } finally {
                deleteQuietly(stateDir);
            }
        };
        try {
            awaitCaughtUp(tracker, config);
        } catch (RuntimeException e) {
            throw Closeables.closeAfter(e, stop);
        }
        return stop;
    }

    private static void awaitCaughtUp(RedeliveryTracker tracker, KmqConfig config) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!tracker.isCaughtUp()) {
            if (tracker.state() == TrackerState.FAILED || tracker.state() == TrackerState.STOPPED) {
                throw new IllegalStateException("the tracker of topic " + config.topic() + " stopped while starting: "
                        + tracker.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the tracker of topic " + config.topic() + " is " + tracker.state()
                        + " after " + START_TIMEOUT + " (expected: RUNNING and caught up with its markers)");
            }
            RunExecutor.sleep(Duration.ofMillis(10));
        }
    }

    static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete the tracker state directory {} (harmless, it is a temp directory): {}",
                    directory, e.toString());
        }
    }
}
