package io.kmq.redelivery.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * When one stream thread must read markers again. Each task on the thread tells by which wall time it wants them
 * read (at once while it has something to act on or commit, when its earliest deadline can first be proven, or
 * never while nothing is in flight); the thread's {@link PacedConsumer} waits before polling while every task can.
 *
 * <p>One instance per stream thread, found with {@link #ofCurrentThread()}: the processors register from their
 * {@code init} and the consumer polls on that thread. A task may be closed from another thread, so registrations
 * are kept in a copy-on-write list (they change only when tasks are assigned or closed).
 */
public final class ReadPacing {

    private static final ThreadLocal<ReadPacing> OF_THREAD = ThreadLocal.withInitial(ReadPacing::new);

    private final List<LongSupplier> tasks = new CopyOnWriteArrayList<>();

    /** The pacing of the calling thread (created on first use). */
    public static ReadPacing ofCurrentThread() {
        return OF_THREAD.get();
    }

    /**
     * Adds a task, whose {@code readWantedBy} returns the wall time by which it wants the markers read
     * ({@link Long#MIN_VALUE} for at once, {@link Long#MAX_VALUE} for never); it is called on this thread only.
     *
     * @return removes the task again
     */
    public Runnable register(LongSupplier readWantedBy) {
        LongSupplier registration = readWantedBy::getAsLong;
        tasks.add(registration);
        return () -> tasks.remove(registration);
    }

    /** How many tasks are registered (each one markers partition's, once it is running). */
    public int tasks() {
        return tasks.size();
    }

    /**
     * How long the thread may wait before it reads, at most {@code max} ms: zero unless at least one task is
     * registered and none wants the markers read before {@code now + 1}.
     */
    public long quietMillis(long now, long max) {
        if (tasks.isEmpty() || max <= 0) {
            return 0;
        }
        long wanted = Long.MAX_VALUE;
        for (LongSupplier task : tasks) {
            wanted = Math.min(wanted, task.getAsLong());
        }
        return wanted <= now ? 0 : Math.min(max, wanted - now);
    }
}
