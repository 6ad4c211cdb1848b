package io.kmq.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that writes coalesced acknowledgments: every {@code kmq.ack.flush.interval.ms} ({@link
 * AckCoalescer#flush()}), so that they reach the markers topic within that interval even when the application stops
 * calling the client, and sooner when many markers of completed runs are ready ({@link AckCoalescer#awaitReady}). A
 * send that fails is already counted and logged by the marker sender; the thread goes on.
 */
public final class AckFlusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AckFlusher.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final AckCoalescer acks;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts the thread, named {@code threadName}; {@code interval} is positive. */
    public AckFlusher(AckCoalescer acks, Duration interval, String threadName) {
        this.acks = acks;
        this.interval = interval;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long nextFlush = System.nanoTime() + interval.toNanos();
        while (running) {
            try {
                long untilFlush = nextFlush - System.nanoTime();
                if (untilFlush > 0 && acks.awaitReady(Duration.ofNanos(untilFlush))) {
                    acks.sendReady();
                    continue;
                }
                acks.flush();
                nextFlush = System.nanoTime() + interval.toNanos();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.debug("writing acknowledgments failed (counted and logged by the sender)", e);
            }
        }
    }

    /** Stops the thread, waiting for a send under way; the caller flushes what is left. */
    @Override
    public void close() {
        running = false;
        acks.stopWaiting();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("acknowledgment flusher did not stop within {}", STOP_TIMEOUT);
        }
    }
}
