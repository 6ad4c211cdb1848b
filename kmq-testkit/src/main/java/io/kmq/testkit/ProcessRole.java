package io.kmq.testkit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One role of a fault test (a processor, a tracker, ...) run as a child JVM that the test starts, kills with SIGKILL,
 * stops and starts again, any number of times; each run is a new {@link JavaProcess} with its stderr in
 * {@code <logDir>/<name>-<run>.err} and a copy of its stdout in {@code <name>-<run>.out}. Every stdout line that starts with the id prefix hands the rest of the line (the
 * id of a message the role handled) to the collector, from every run.
 *
 * <pre>{@code
 * try (ProcessRole processor = ProcessRole.builder("processor", "io.kmq.example.KmqCommand", logDir)
 *         .args(List.of("process", "--topic", topic, ...)).ids("processed ", ledger::processed).build()) {
 *     processor.start();
 *     processor.killWhen(() -> processor.idsThisRun() >= 1_000, Duration.ofMinutes(3));
 *     processor.start();                                  // run 2
 * }
 * }</pre>
 */
public final class ProcessRole implements AutoCloseable {

    private final String name;
    private final String mainClass;
    private final List<String> jvmArgs;
    private final List<String> args;
    private final String idPrefix;
    private final Consumer<String> onId;
    private final Path logDir;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong idsThisRun = new AtomicLong();
    private JavaProcess current;
    private BufferedWriter stdoutCopy;
    private int runs;

    private ProcessRole(Builder builder) {
        this.name = builder.name;
        this.mainClass = builder.mainClass;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.args = List.copyOf(builder.args);
        this.idPrefix = builder.idPrefix;
        this.onId = builder.onId;
        this.logDir = builder.logDir;
    }

    /**
     * A builder of the role {@code name} running {@code mainClass} (with this JVM's class path), writing the stderr of
     * each run under {@code logDir}.
     */
    public static Builder builder(String name, String mainClass, Path logDir) {
        return new Builder(name, mainClass, logDir);
    }

    /**
     * Starts the next run (1, 2, ...) of the role.
     *
     * @throws IllegalStateException if the previous run is still alive
     */
    public synchronized JavaProcess start() {
        if (current != null && current.isAlive()) {
            throw new IllegalStateException("role " + name + " run " + runs + " (pid " + current.pid()
                    + ") is still running; kill or stop it before starting it again");
        }
        runs++;
        idsThisRun.set(0);
        closeStdoutCopy();
        try {
            stdoutCopy = Files.newBufferedWriter(stdoutOf(runs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + stdoutOf(runs), e);
        }
        BufferedWriter copy = stdoutCopy;
        current = JavaProcess.start(name + "-" + runs, jvmArgs, mainClass, args, line -> onLine(line, copy),
                stderrOf(runs));
        return current;
    }

    /** Kills the current run with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        running().kill();
    }

    /**
     * Waits until {@code condition} holds, then kills the current run with SIGKILL.
     *
     * @throws IllegalStateException if the run exits first (with a pointer to its stderr) or the condition does not
     *                               hold within {@code timeout}
     */
    public void killWhen(BooleanSupplier condition, Duration timeout) {
        JavaProcess run = running();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!run.isAlive()) {
                throw new IllegalStateException("role " + name + " run " + runs + " exited with code "
                        + run.exitCode().orElse(-1) + " before it was to be killed; see " + stderrOf(runs));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("role " + name + " run " + runs + ": the kill condition did not hold "
                        + "within " + timeout);
            }
            sleep(Duration.ofMillis(20));
        }
        kill();
    }

    /**
     * Asks the current run to stop with SIGTERM (its shutdown hooks run), killing it after {@code timeout}.
     *
     * @return its exit code
     */
    public synchronized int stop(Duration timeout) {
        return running().stop(timeout);
    }

    /** The current (or last) run; empty before the first {@link #start()}. */
    public synchronized Optional<JavaProcess> current() {
        return Optional.ofNullable(current);
    }

    /** How many runs were started. */
    public synchronized int runs() {
        return runs;
    }

    /** Ids collected from every run so far. */
    public long ids() {
        return ids.get();
    }

    /** Ids collected from the current run so far. */
    public long idsThisRun() {
        return idsThisRun.get();
    }

    /** Where the stderr of run {@code run} goes. */
    public Path stderrOf(int run) {
        return logDir.resolve(name + "-" + run + ".err");
    }

    /** Where the stdout of run {@code run} is copied (every line, also those handed out as ids). */
    public Path stdoutOf(int run) {
        return logDir.resolve(name + "-" + run + ".out");
    }

    /** Stops the current run (SIGTERM, then SIGKILL after 10 s) if it still runs. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
        closeStdoutCopy();
    }

    private void closeStdoutCopy() {
        if (stdoutCopy != null) {
            try {
                stdoutCopy.close();
            } catch (IOException e) {
                // only a copy for reading after a failure: the lines themselves were handed out already
            }
            stdoutCopy = null;
        }
    }

    private synchronized JavaProcess running() {
        if (current == null) {
            throw new IllegalStateException("role " + name + " was never started");
        }
        return current;
    }

    private void onLine(String line, BufferedWriter copy) {
        try {
            copy.write(line);
            copy.newLine();
            copy.flush();
        } catch (IOException e) {
            // the copy was closed because a new run started or the role was closed: the line is still handled
        }
        if (idPrefix != null && line.startsWith(idPrefix)) {
            ids.incrementAndGet();
            idsThisRun.incrementAndGet();
            onId.accept(line.substring(idPrefix.length()));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** Builds a {@link ProcessRole}; nothing runs until {@link ProcessRole#start()}. */
    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final Path logDir;
        private List<String> jvmArgs = List.of("-Xmx256m");
        private List<String> args = List.of();
        private String idPrefix;
        private Consumer<String> onId;

        private Builder(String name, String mainClass, Path logDir) {
            this.name = Objects.requireNonNull(name, "name");
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            this.logDir = Objects.requireNonNull(logDir, "logDir");
        }

        /** JVM options of every run; default {@code -Xmx256m}. */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs = new ArrayList<>(jvmArgs);
            return this;
        }

        /** Program arguments of every run. */
        public Builder args(List<String> args) {
            this.args = new ArrayList<>(args);
            return this;
        }

        /** Collects, from each stdout line starting with {@code prefix}, the rest of the line as an id. */
        public Builder ids(String prefix, Consumer<String> collector) {
            this.idPrefix = Objects.requireNonNull(prefix, "prefix");
            this.onId = Objects.requireNonNull(collector, "collector");
            return this;
        }

        /** The role; not started yet. */
        public ProcessRole build() {
            return new ProcessRole(this);
        }
    }
}
