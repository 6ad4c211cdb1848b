package io.kmq.bench.internal;

import io.kmq.KmqConfig;

/** Starts the redelivery tracker beside a kmq receiver; a seam so the tracker can be replaced in tests. */
@FunctionalInterface
public interface TrackerLauncher {

    /** A launcher that starts nothing: kmq then redelivers nothing (only for runs that drop nothing). */
    TrackerLauncher NONE = config -> () -> { };

    /**
     * Starts a tracker serving {@code config} and waits until it runs.
     *
     * @return closes the tracker and deletes its local state
     */
    AutoCloseable start(KmqConfig config);
}
