package io.kmq.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AckCoalescer#flush()} every {@code kmq.ack.flush.interval.ms} on a daemon thread of its own, so that
 * leftover acknowledgments reach the markers topic within that interval even when the application stops calling the
 * client. A flush that fails is already counted and logged by the marker sender; the next one goes on.
 */
public final class AckFlusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AckFlusher.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledExecutorService executor;

    /** Starts flushing {@code acks} every {@code interval} (positive) on a thread named {@code threadName}. */
    public AckFlusher(AckCoalescer acks, Duration interval, String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        executor.scheduleWithFixedDelay(() -> {
            try {
                acks.flush();
            } catch (RuntimeException e) {
                log.debug("periodic flush of acknowledgments failed (counted and logged by the sender)", e);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the thread, waiting for a flush under way; the caller flushes what is left. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("acknowledgment flusher did not stop within {}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
