package io.kmq.redelivery.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that died (its tasks' open transactions are aborted and their state restored, so nothing
 * is lost or duplicated), unless threads keep dying: more than {@value #MAX_REPLACEMENTS} within
 * {@value #WINDOW_MS} ms means a persistent fault, and the tracker shuts down (state FAILED) instead of looping.
 */
public final class ThreadReplacementPolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ThreadReplacementPolicy.class);
    private static final int MAX_REPLACEMENTS = 5;
    private static final long WINDOW_MS = 60_000;

    private final String applicationId;
    private final Deque<Long> replacements = new ArrayDeque<>();

    /** The policy of the tracker {@code applicationId}. */
    public ThreadReplacementPolicy(String applicationId) {
        this.applicationId = applicationId;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.currentTimeMillis();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW_MS) {
            replacements.pollFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            log.error("Tracker {}: stream thread died {} times within {} ms; shutting down", applicationId,
                    replacements.size() + 1, WINDOW_MS, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        log.error("Tracker {}: stream thread died; replacing it", applicationId, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
