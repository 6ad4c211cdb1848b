package io.kmq.gateway.internal;

/**
 * The bounds of one topic's fan-out caches.
 *
 * @param historyRecords records of history per partition
 * @param historyBytes   bytes of history per partition
 * @param lastValueKeys  keys with a last value
 * @param pacingBytes    frame bytes a feed dispatches before waiting for the connections it wrote to
 * @param idleTimeout    how long a feed without subscriptions keeps running (and its caches warm)
 */
record FeedSettings(int historyRecords, long historyBytes, int lastValueKeys, long pacingBytes,
                    java.time.Duration idleTimeout) {
}
