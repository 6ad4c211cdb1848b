package io.kmq.redelivery.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ticker's scheduling: one pending tick per partition, the earlier one wins, sent only if still needed. */
class TickerTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final Ticker ticker = new Ticker(producer, Clock.systemUTC(), "ticker-test");
    private final Ticks ticks = ticker.create("orders__markers", 3, null);

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void writesATickToItsPartitionAtTheTimeAskedFor() {
        long at = System.currentTimeMillis() + 200;
        ticks.at(at, () -> true);

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        long sent = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> tick = producer.history().get(0);
        assertEquals("orders__markers", tick.topic());
        assertEquals(3, tick.partition());
        assertEquals(MarkerKey.tick(3), MarkerCodec.decodeKey(tick.key()));
        assertEquals(new Marker.Tick(), MarkerCodec.decodeValue(tick.value()));
        assertEquals(true, sent >= at, "not before its time");
    }

    @Test
    void anEarlierTickReplacesALaterOneAndALaterOneIsIgnored() {
        AtomicInteger fired = new AtomicInteger();
        long now = System.currentTimeMillis();
        ticks.at(now + 60_000, () -> fired.addAndGet(100) > 0);
        ticks.at(now + 100, () -> fired.incrementAndGet() > 0);
        ticks.at(now + 30_000, () -> fired.addAndGet(1000) > 0);

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        assertEquals(1, fired.get());
    }

    @Test
    void aTickNoLongerNeededOrCancelledIsNotWritten() {
        AtomicInteger asked = new AtomicInteger();
        ticks.at(System.currentTimeMillis(), () -> asked.incrementAndGet() < 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() == 1);
        Ticks other = ticker.create("orders__markers", 4, null);
        other.at(System.currentTimeMillis() + 100, () -> true);
        other.cancel();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> producer.history().isEmpty());
    }
}
