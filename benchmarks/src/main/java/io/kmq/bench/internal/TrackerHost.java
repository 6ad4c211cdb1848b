package io.kmq.bench.internal;

import io.kmq.KmqConfig;
import io.kmq.testkit.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Runs kmq's redelivery trackers in one JVM of its own ({@link TrackerHostMain}) kept for the whole benchmark: a
 * tracker is started in it for each kmq run and stopped after, so that, as a deployed sidecar, it runs warm instead of
 * redoing its JIT compilation during every measured run, and uses no CPU between kmq runs. The JVM starts with the
 * first tracker and stops on {@link #close}.
 */
final class TrackerHost implements TrackerLauncher, AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final short replicationFactor;
    private final Map<String, String> settings;
    private JavaProcess host;
    private Path directory;
    private int started;

    TrackerHost(short replicationFactor) {
        this(replicationFactor, Map.of());
    }

    /** With {@code settings} ({@code kmq.tracker.*} keys) for every tracker, on top of the defaults. */
    TrackerHost(short replicationFactor, Map<String, String> settings) {
        this.replicationFactor = replicationFactor;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public synchronized AutoCloseable start(KmqConfig config) {
        String id = "t" + (++started);
        JavaProcess process = host();
        Path properties = writeProperties(config, id);
        Optional<String> failure;
        try {
            failure = command(process, "start " + id + " " + replicationFactor + " " + properties, "started", id,
                    Trackers.START_TIMEOUT.plusSeconds(5));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the tracker of topic " + config.topic() + " did not start; the end of the "
                    + "tracker JVM's log: " + Trackers.tail(directory.resolve("stderr.log")), e);
        }
        if (failure.isPresent()) {
            throw new IllegalStateException("the tracker of topic " + config.topic() + " did not start: "
                    + failure.get());
        }
        return () -> stop(id, config);
    }

    private synchronized void stop(String id, KmqConfig config) {
        Optional<String> failure = command(host, "stop " + id, "stopped", id, STOP_TIMEOUT);
        if (failure.isPresent()) {
            throw new IllegalStateException("the tracker of topic " + config.topic() + " did not stop cleanly: "
                    + failure.get());
        }
    }

    /**
     * Sends a command about tracker {@code id} and waits for the answer ({@link TrackerHostMain}): empty when it is
     * {@code <done> <id>}, else why it failed.
     */
    private static Optional<String> command(JavaProcess host, String command, String done, String id,
                                            Duration timeout) {
        host.sendLine(command);
        String failed = "failed " + id + " ";
        String answer = host.awaitLine(line -> line.equals(done + " " + id) || line.startsWith(failed), timeout);
        return answer.startsWith(failed) ? Optional.of(answer.substring(failed.length())) : Optional.empty();
    }

    private JavaProcess host() {
        if (host == null) {
            try {
                directory = Files.createTempDirectory("kmq-bench-tracker-host-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the tracker JVM", e);
            }
            host = JavaProcess.start("kmq-tracker-host", TrackerProcess.JVM_ARGS, TrackerHostMain.class.getName(),
                    java.util.List.of(), null, directory.resolve("stderr.log"));
            host.awaitLine("ready"::equals, Trackers.START_TIMEOUT);
        }
        return host;
    }

    private Path writeProperties(KmqConfig config, String id) {
        Path file = directory.resolve(id + ".properties");
        Properties properties = TrackerProcess.originals(config);
        properties.putAll(settings);
        TrackerProcess.store(properties, file, config);
        return file;
    }

    /** The process id of the tracker JVM; empty before the first tracker started and after {@link #close}. */
    synchronized java.util.OptionalLong pid() {
        return host == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(host.pid());
    }

    /** Stops the tracker JVM (it stops any tracker still running) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (host != null) {
            host.stop(STOP_TIMEOUT);
            host = null;
            Trackers.deleteQuietly(directory);
        }
    }
}
