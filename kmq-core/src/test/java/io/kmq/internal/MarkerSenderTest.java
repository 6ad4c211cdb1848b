package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class MarkerSenderTest {

    /** Completes every send at once and counts flushes. */
    private static final class CountingProducer extends MockProducer<byte[], byte[]> {
        int flushes;

        CountingProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized void flush() {
            flushes++;
            super.flush();
        }
    }

    private static final List<MarkerKey> KEYS = List.of(new MarkerKey(0, 1), new MarkerKey(1, 7));
    private static final Marker START = new Marker.Start(Duration.ofSeconds(5));

    @Test
    void withoutLingerOnlyTheStartMarkersAreAwaitedNotFlushed() {
        CountingProducer producer = new CountingProducer();
        MarkerSender sender = new MarkerSender(producer, "orders", "orders__markers", false);
        MarkerSender.Outcome outcome = sender.sendAndAwait(KEYS, START);
        assertEquals(2, outcome.acknowledged());
        assertTrue(outcome.firstFailure().isEmpty());
        assertEquals(0, producer.flushes, "a flush would also wait for END markers sent before");
        assertEquals(List.of(0, 1), producer.history().stream().map(r -> r.partition()).toList());
    }

    @Test
    void aLingeringProducerIsFlushedSoThatStartMarkersLeaveAtOnce() {
        CountingProducer producer = new CountingProducer();
        MarkerSender sender = new MarkerSender(producer, "orders", "orders__markers", true);
        assertEquals(2, sender.sendAndAwait(KEYS, START).acknowledged());
        assertEquals(1, producer.flushes);
    }
}
