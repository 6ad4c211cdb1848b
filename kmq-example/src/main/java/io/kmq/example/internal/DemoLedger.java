package io.kmq.example.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts for every message of the demo by its unique id: sent, processed (first time and again), dead-lettered.
 * Thread-safe; counts are derived from the id sets, not kept beside them.
 */
public final class DemoLedger {

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> processed = ConcurrentHashMap.newKeySet();
    private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();

    /** Records that the broker confirmed message {@code id}. */
    public void sent(String id) {
        sent.add(id);
    }

    /** Records that a processor acknowledged message {@code id}; a repeat counts as a duplicate. */
    public void processed(String id) {
        if (!processed.add(id)) {
            duplicates.incrementAndGet();
        }
    }

    /** Records that message {@code id} reached the dead-letter topic. */
    public void deadLettered(String id) {
        deadLettered.add(id);
    }

    /** Messages confirmed sent. */
    public long sentCount() {
        return sent.size();
    }

    /** Distinct messages processed. */
    public long processedCount() {
        return processed.size();
    }

    /** Acknowledgments of a message already processed before. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Distinct messages in the dead-letter topic. */
    public long deadLetteredCount() {
        return deadLettered.size();
    }

    /** Sent messages neither processed nor dead-lettered (yet). */
    public long outstanding() {
        return sent.stream().filter(id -> !processed.contains(id) && !deadLettered.contains(id)).count();
    }
}
