package io.kmq.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM and every process it started (the broker's and the trackers' JVMs), per thread
 * group: the whole cost of a run on a machine the benchmark has to itself, and where it goes. On Linux it reads the
 * nanosecond run time of every thread ({@code /proc/<pid>/task/<tid>/schedstat}), since {@link ProcessHandle} reports
 * whole clock ticks (10 ms), too coarse for a drain of half a second (a thread that ends between two readings takes
 * its time with it); elsewhere it falls back to {@link ProcessHandle}, one group per process.
 */
final class ProcessTreeCpu {

    /** The process of this JVM in a group's name. */
    static final String BENCH = "bench";
    /** The broker's JVM in a group's name. */
    static final String BROKER = "broker";
    /** A tracker's JVM in a group's name. */
    static final String TRACKER = "tracker";
    private static final String OTHER = "other";
    private static final Path PROC = Path.of("/proc");

    private ProcessTreeCpu() {
    }

    /**
     * CPU time so far, ns, per thread group of this process and its descendants alive now; empty if this process's is
     * not reported. A group is {@code process:thread}: the process ({@value #BENCH}, {@value #BROKER},
     * {@value #TRACKER} or {@value #OTHER}) and the thread's name as the OS knows it (at most 15 characters) with
     * every number replaced by {@code #}, so that a pool's threads add up. A process that does not report its own
     * (it may just have ended) is left out.
     */
    static Map<String, Long> byThreadGroup() {
        Map<String, Long> groups = new HashMap<>();
        if (!add(groups, ProcessHandle.current(), BENCH)) {
            return Map.of();
        }
        ProcessHandle.current().descendants().forEach(child -> add(groups, child, role(child)));
        return groups;
    }

    /** The sum of the groups' times, ns; -1 if there are none. */
    static long total(Map<String, Long> groups) {
        return groups.isEmpty() ? -1 : groups.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String role(ProcessHandle child) {
        String command = child.info().commandLine().orElse("");
        if (command.contains(BrokerProcess.MAIN)) {
            return BROKER;
        }
        return command.contains(TrackerProcess.MAIN) || command.contains(TrackerHostMain.class.getName()) ? TRACKER
                : OTHER;
    }

    /** Adds the process's threads to their groups; false if its CPU time is not reported. */
    private static boolean add(Map<String, Long> groups, ProcessHandle process, String role) {
        Path tasks = PROC.resolve(Long.toString(process.pid())).resolve("task");
        if (Files.isDirectory(tasks)) {
            try (Stream<Path> threads = Files.list(tasks)) {
                threads.forEach(thread -> {
                    long nanos = threadNanos(thread);
                    if (nanos > 0) {
                        groups.merge(role + ":" + threadGroup(thread), nanos, Long::sum);
                    }
                });
                return true;
            } catch (IOException | UncheckedIOException e) {
                return false; // the process ended meanwhile
            }
        }
        long nanos = process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        if (nanos < 0) {
            return false;
        }
        groups.merge(role + ":all", nanos, Long::sum);
        return true;
    }

    /** The first field of a thread's schedstat: time spent on a CPU, ns; 0 if the thread ended meanwhile. */
    private static long threadNanos(Path thread) {
        try {
            String schedstat = Files.readString(thread.resolve("schedstat"));
            int end = schedstat.indexOf(' ');
            return Long.parseLong(end < 0 ? schedstat.strip() : schedstat.substring(0, end));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The thread's name with numbers replaced by {@code #}; "?" if it ended meanwhile. */
    private static String threadGroup(Path thread) {
        try {
            return Files.readString(thread.resolve("comm")).strip().replaceAll("\\d+", "#");
        } catch (IOException e) {
            return "?";
        }
    }
}
