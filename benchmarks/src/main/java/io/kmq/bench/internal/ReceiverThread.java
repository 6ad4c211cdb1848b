package io.kmq.bench.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/** Runs a {@link Receiver}'s poll loop on a thread of its own and remembers what ended it. */
final class ReceiverThread {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration JOIN = Duration.ofSeconds(60);

    private final Receiver receiver;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException failure;
    private volatile long cpuNanos = -1;

    ReceiverThread(Receiver receiver, DeliveryHandler handler, String name) {
        this.receiver = receiver;
        this.thread = new Thread(() -> loop(handler), name);
        this.thread.setDaemon(true);
    }

    private void loop(DeliveryHandler handler) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean measured = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long cpuAtStart = measured ? threads.getCurrentThreadCpuTime() : 0;
        try {
            while (!stopping) {
                receiver.poll(POLL, handler);
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException(thread.getName() + " failed", e);
        } finally {
            if (measured) {
                cpuNanos = threads.getCurrentThreadCpuTime() - cpuAtStart;
            }
        }
    }

    void start() {
        thread.start();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the loop after its current poll and waits for it; idempotent. */
    void stopAndJoin() {
        stopping = true;
        if (!thread.isAlive()) {
            return;
        }
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop within " + JOIN);
        }
    }

    /** CPU time the loop's thread used, ns, once it has ended; -1 while it runs or where not measured. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Throws what ended the loop, if it failed. */
    void rethrow() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }
}
