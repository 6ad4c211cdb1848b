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

    private Consumer<byte[], byte[]> paced(Duration maxDelay) {
        delegate.assign(List.of(PARTITION));
        delegate.updateBeginningOffsets(Map.of(PARTITION, 0L));
        return PacedConsumer.wrap(delegate, maxDelay, Clock.systemUTC());
    }

    @Test
    void pollWaitsUntilTheEarliestTaskWantsTheMarkers() {
        Consumer<byte[], byte[]> consumer = paced(Duration.ofMinutes(1));
        long wanted = System.currentTimeMillis() + 300;
        delegate.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, 0, new byte[] {1}, new byte[] {2}));

        // preemptively: on a thread of its own, where the task registers
        int records = assertTimeoutPreemptively(GENEROUS, () -> {
            registration = ReadPacing.ofCurrentThread().register(() -> wanted);
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
            registration = ReadPacing.ofCurrentThread().register(() -> Long.MAX_VALUE);
            assertThrows(WakeupException.class, () -> consumer.poll(Duration.ZERO));
        });
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
