package io.kmq.redelivery.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream thread's main consumer whose {@code poll} first waits while the thread's {@link ReadPacing} says no task
 * needs the markers yet, at most the maximum read delay. Under a steady flow of markers with no deadline near, the
 * thread then wakes up and fetches a few times per second instead of at every fetch response, and reads the markers
 * in larger batches. It waits only while it has read up to the end its last fetch saw on every assigned partition, and
 * only after a poll that returned markers or once every assigned partition's task is running (registered with the
 * pacing): a tracker catching up on a backlog (after a restart or a rebalance, or behind a burst) reads at full speed,
 * one starting up (looking up positions, moving restored tasks to running) polls as Streams asks, and an idle one
 * (no markers at all, as when the clients skip the markers of records processed at once) wakes a few times a second
 * instead of at every empty fetch. {@code wakeup()} and {@code close()} end a wait; every other call goes straight
 * to the delegate.
 */
final class PacedConsumer implements InvocationHandler {

    private final Consumer<byte[], byte[]> delegate;
    private final long maxDelayMs;
    private final Clock clock;
    private final Object lock = new Object();
    private boolean woken;
    /** Only the polling thread reads and writes it. */
    private boolean lastPollReturnedRecords;

    private PacedConsumer(Consumer<byte[], byte[]> delegate, Duration maxDelay, Clock clock) {
        this.delegate = delegate;
        this.maxDelayMs = maxDelay.toMillis();
        this.clock = clock;
    }

    /** {@code delegate}, paced: its polls wait at most {@code maxDelay} for the tasks of the polling thread. */
    @SuppressWarnings("unchecked")
    static Consumer<byte[], byte[]> wrap(Consumer<byte[], byte[]> delegate, Duration maxDelay, Clock clock) {
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new PacedConsumer(delegate, maxDelay, clock));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        boolean poll = method.getName().equals("poll");
        if (poll) {
            waitWhileQuiet();
        }
        boolean waking = method.getName().equals("wakeup") || method.getName().equals("close");
        try {
            Object result = method.invoke(delegate, args);
            if (poll) {
                lastPollReturnedRecords = !((ConsumerRecords<?, ?>) result).isEmpty();
            }
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (waking) {
                wake(); // after the delegate's wakeup, so that the poll the wait ends sees it and throws
            }
        }
    }

    private void waitWhileQuiet() {
        Set<TopicPartition> assigned = delegate.assignment();
        ReadPacing pacing = ReadPacing.ofCurrentThread();
        boolean running = lastPollReturnedRecords || pacing.tasks() >= assigned.size();
        if (!running || !readToTheEnd(assigned)) {
            return;
        }
        long now = clock.millis();
        long until = now + pacing.quietMillis(now, maxDelayMs);
        synchronized (lock) {
            try {
                while (!woken && now < until) {
                    lock.wait(until - now);
                    now = clock.millis();
                }
            } catch (InterruptedException e) {
                // the delegate's poll sees the interrupt and throws Kafka's InterruptException
                Thread.currentThread().interrupt();
            }
            woken = false;
        }
    }

    /** Whether every assigned partition has a known lag of zero (by the end offset of its last fetch). */
    private boolean readToTheEnd(Set<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return false;
        }
        for (TopicPartition partition : assigned) {
            OptionalLong lag = delegate.currentLag(partition);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }
}
