package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting of the paced consumer, over Kafka's MockConsumer (no broker: only the wrapper is under test). */
class PacedConsumerTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders__kmq-markers", 0);
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final MockConsumer<byte[], byte[]> delegate = new MockConsumer<>("earliest");
    private Runnable registration = () -> { };

    @AfterEach
    void unregister() {
        registration.run();
    }

    /** A paced consumer whose first poll returned a record: it waits before the next one if the tasks allow. */
    private Consumer<byte[], byte[]> paced(Duration maxDelay) {
        delegate.assign(List.of(PARTITION));
        delegate.updateBeginningOffsets(Map.of(PARTITION, 0L));
        Consumer<byte[], byte[]> consumer = PacedConsumer.wrap(delegate, maxDelay, Clock.systemUTC());
        addRecord(0);
        assertEquals(1, consumer.poll(Duration.ZERO).count());
        return consumer;
    }

    /** Registers a task of the calling thread (the one that polls) wanting the markers read by {@code wallTime}. */
    private void taskOfThisThreadWantsMarkersBy(long wallTime) {
        registration = ReadPacing.ofCurrentThread().register(() -> wallTime);
    }

    private void addRecord(long offset) {
        delegate.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, offset, new byte[] {1}, new byte[] {2}));
    }

    @Test
    void pollWaitsUntilTheEarliestTaskWantsTheMarkers() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(1));
        long wanted = System.currentTimeMillis() + 300;
        addRecord(1);

        // preemptively: on a thread of its own, where the task registers
        int records = assertTimeoutPreemptively(GENEROUS, () -> {
            taskOfThisThreadWantsMarkersBy(wanted);
            return consumer.poll(Duration.ZERO).count();
        });

        assertEquals(1, records, "the records are returned after the wait");
        assertTrue(System.currentTimeMillis() >= wanted, "did not poll before the task wanted the markers");
    }

    @Test
    void wakeupEndsTheWaitAndReachesTheDelegate() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(10));
        Thread waker = new Thread(() -> {
            sleep(200);
            consumer.wakeup();
        });
        waker.start();

        assertTimeoutPreemptively(GENEROUS, () -> {
            taskOfThisThreadWantsMarkersBy(Long.MAX_VALUE);
            assertThrows(WakeupException.class, () -> consumer.poll(Duration.ZERO));
        });
    }

    @Test
    void aConsumerBehindTheEndOfItsPartitionsDoesNotWait() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(10));
        delegate.updateEndOffsets(Map.of(PARTITION, 1_000L));
        assertTimeoutPreemptively(GENEROUS, () -> {
            taskOfThisThreadWantsMarkersBy(Long.MAX_VALUE);
            consumer.poll(Duration.ZERO);
        }, "a backlog is read at full speed");
    }

    @Test
    void anIdleTrackerWaitsAfterAnEmptyPollToo() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(1));
        assertTimeoutPreemptively(GENEROUS, () -> {
            long soon = System.currentTimeMillis() + 300;
            Runnable first = ReadPacing.ofCurrentThread().register(() -> soon);
            assertEquals(0, consumer.poll(Duration.ZERO).count(), "waits until the task wants the markers: none");
            first.run();
            long later = System.currentTimeMillis() + 300;
            taskOfThisThreadWantsMarkersBy(later);
            consumer.poll(Duration.ZERO);
            assertTrue(System.currentTimeMillis() >= later, "every partition's task runs: an empty poll is paced");
        });
    }

    @Test
    void afterAnEmptyPollATrackerWithATaskNotRunningYetDoesNotWait() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(10));
        TopicPartition starting = new TopicPartition(PARTITION.topic(), 1);
        delegate.updateBeginningOffsets(Map.of(starting, 0L));
        delegate.assign(List.of(PARTITION, starting));
        delegate.seek(PARTITION, 1);
        delegate.seek(starting, 0);
        assertTimeoutPreemptively(GENEROUS, () -> {
            long soon = System.currentTimeMillis() + 300;
            Runnable first = ReadPacing.ofCurrentThread().register(() -> soon);
            assertEquals(0, consumer.poll(Duration.ZERO).count(), "waits until the task wants the markers: none");
            first.run();
            taskOfThisThreadWantsMarkersBy(Long.MAX_VALUE);
            consumer.poll(Duration.ZERO);
        }, "a starting tracker (one task for two partitions) polls as Streams asks");
    }

    @Test
    void withoutTasksOnThePollingThreadPollDoesNotWait() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(10));
        assertTimeoutPreemptively(GENEROUS, () -> consumer.poll(Duration.ZERO));
    }

    @Test
    void otherCallsGoStraightToTheDelegate() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(10));
        assertEquals(delegate.assignment(), consumer.assignment());
        consumer.seek(PARTITION, 5);
        assertEquals(5, delegate.position(PARTITION));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
