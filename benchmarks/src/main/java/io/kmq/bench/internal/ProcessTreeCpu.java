package io.kmq.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM and every process it started (the broker's and the trackers' JVMs): the whole cost
 * of a run on a machine the benchmark has to itself. On Linux it sums the nanosecond run times of every thread
 * ({@code /proc/<pid>/task/<tid>/schedstat}), since {@link ProcessHandle} reports whole clock ticks (10 ms), too coarse
 * for a drain of half a second (a thread that ends between two readings takes its time with it); elsewhere it falls
 * back to {@link ProcessHandle}.
 */
final class ProcessTreeCpu {

    private static final Path PROC = Path.of("/proc");

    private ProcessTreeCpu() {
    }

    /**
     * Total CPU time, ns, of this process and its descendants alive now; -1 if this process's is not reported. A
     * process that does not report its own (it may just have ended) is left out.
     */
    static long nanos() {
        long own = nanos(ProcessHandle.current());
        if (own < 0) {
            return -1;
        }
        return own + ProcessHandle.current().descendants().mapToLong(ProcessTreeCpu::nanos).filter(n -> n > 0).sum();
    }

    private static long nanos(ProcessHandle process) {
        Path tasks = PROC.resolve(Long.toString(process.pid())).resolve("task");
        if (Files.isDirectory(tasks)) {
            try (Stream<Path> threads = Files.list(tasks)) {
                return threads.mapToLong(ProcessTreeCpu::threadNanos).sum();
            } catch (IOException | UncheckedIOException e) {
                return -1; // the process ended meanwhile
            }
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
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
}
