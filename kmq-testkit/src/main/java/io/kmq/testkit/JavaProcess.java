package io.kmq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Java main class run in a child JVM with this JVM's classpath, for fault tests and benchmarks: the broker or a
 * kmq role in a process of its own that can be killed with SIGKILL ({@link #kill()}) or stopped with SIGTERM
 * ({@link #stop(Duration)}). Every line the child prints on stdout is kept until read and passed to an optional
 * listener; stderr goes to a file. The child's stdin is a pipe that {@link #sendLine} writes to (a child that
 * reads it sees its end once this JVM exits).
 */
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private JavaProcess(String name, Process process, Consumer<String> listener) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(() -> pump(listener), "kmq-process-" + name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param name      a short name for threads and the stderr file
     * @param jvmArgs   JVM options such as {@code -Xmx512m}
     * @param mainClass the class whose {@code main} runs
     * @param args      its arguments
     * @param listener  called with every stdout line, from a reader thread; may be null
     * @param stderr    where the child's stderr goes
     */
    public static JavaProcess start(String name, List<String> jvmArgs, String mainClass, List<String> args,
                                    Consumer<String> listener, Path stderr) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            return new JavaProcess(name, process, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start process " + name + " (" + mainClass + ")", e);
        }
    }

    /**
     * Waits for the first stdout line (not yet taken) that matches, and returns it.
     *
     * @throws IllegalStateException if the process exits or the timeout passes first
     */
    public String awaitLine(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line;
            try {
                line = lines.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for process " + name, e);
            }
            if (line != null && matching.test(line)) {
                return line;
            }
            if (line == null && !process.isAlive() && readerFinished() && lines.isEmpty()) {
                throw new IllegalStateException("process " + name + " exited with code " + process.exitValue()
                        + " before printing the expected line");
            }
        }
        throw new IllegalStateException("process " + name + " printed no expected line within " + timeout);
    }

    /** Waits briefly for the stdout reader to drain what a dead child printed; true once it has. */
    private boolean readerFinished() {
        try {
            reader.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !reader.isAlive();
    }

    /**
     * Writes {@code line} and a newline to the child's stdin, for a child that takes commands there.
     *
     * @throws UncheckedIOException if the child has exited or closed its stdin
     */
    public synchronized void sendLine(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the stdin of process " + name, e);
        }
    }

    /** Takes the next stdout line if one is waiting. */
    public Optional<String> pollLine() {
        return Optional.ofNullable(lines.poll());
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's exit code once it has exited; empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits up to {@code timeout} for the child to exit by itself.
     *
     * @return its exit code; empty if it still runs
     */
    public OptionalInt awaitExit(Duration timeout) {
        waitFor(timeout);
        return exitCode();
    }

    /** Kills the child with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        process.toHandle().destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /**
     * Asks the child to stop with SIGTERM (its shutdown hooks run) and waits up to {@code timeout}; kills it after.
     * The signal goes through the process handle: {@code Process.destroy()} would also close the child's stdout,
     * losing what its shutdown hooks print.
     *
     * @return the exit code
     */
    public int stop(Duration timeout) {
        process.toHandle().destroy();
        if (!waitFor(timeout)) {
            kill();
        }
        return process.exitValue();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pump(Consumer<String> listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (listener != null) {
                    listener.accept(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream closes when the process dies: nothing more to read
        }
    }

    /** Stops the child (SIGTERM, then SIGKILL after 10 s) if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(10));
        }
    }
}
