package io.kmq.redelivery.internal;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs skipped (malformed) markers at most once per period, with the running count and the latest problem, so that a
 * topic full of garbage cannot flood the log. Used by one stream thread only.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final long periodMs;
    private final String what;
    private long count;
    private long loggedAt = Long.MIN_VALUE;

    /**
     * @param log    where to log
     * @param clock  the wall clock
     * @param period the least time between two lines
     * @param what   what is skipped, for the message (e.g. the markers topic and partition)
     */
    public RateLimitedLog(Logger log, Clock clock, Duration period, String what) {
        this.log = log;
        this.clock = clock;
        this.periodMs = period.toMillis();
        this.what = what;
    }

    /** Counts one skipped record and logs if the period has passed since the last line. */
    public void skipped(String problem) {
        count++;
        long now = clock.millis();
        if (loggedAt == Long.MIN_VALUE || now - loggedAt >= periodMs) {
            loggedAt = now;
            log.warn("Skipped {} malformed marker(s) on {} so far; latest: {}", count, what, problem);
        }
    }

    /** How many records were skipped. */
    public long count() {
        return count;
    }
}
