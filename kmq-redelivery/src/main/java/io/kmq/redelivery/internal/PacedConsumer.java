package io.kmq.redelivery.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A stream thread's main consumer whose {@code poll} first waits while the thread's {@link ReadPacing} says no task
 * needs the markers yet, at most the maximum read delay. Under a steady flow of markers with no deadline near, the
 * thread then wakes up and fetches a few times per second instead of at every fetch response, and reads the markers
 * in larger batches. {@code wakeup()} and {@code close()} end a wait; every other call goes straight to the
 * delegate.
 */
final class PacedConsumer implements InvocationHandler {

    private final Consumer<byte[], byte[]> delegate;
    private final long maxDelayMs;
    private final Clock clock;
    private final Object lock = new Object();
    private boolean woken;

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
        switch (method.getName()) {
            case "poll" -> waitWhileQuiet();
            case "wakeup", "close" -> wake();
            default -> {
            }
        }
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void waitWhileQuiet() {
        long now = clock.millis();
        long until = now + ReadPacing.ofCurrentThread().quietMillis(now, maxDelayMs);
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

    private void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }
}
