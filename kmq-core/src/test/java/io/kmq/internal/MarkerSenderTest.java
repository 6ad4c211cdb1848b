package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
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

    private static List<String> sent(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> io.kmq.MarkerCodec.decodeKey(r.key()) + " "
                + io.kmq.MarkerCodec.decodeValue(r.value()).getClass().getSimpleName()).toList();
    }

    /** A producer completing sends only when told, and a sender coalescing START markers through it. */
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final MarkerSender sender = new MarkerSender(producer, "orders", "orders__markers", false, true);
    private final LongAdder started = new LongAdder();
    private final Duration timeout = Duration.ofSeconds(30);

    @Test
    void coalescedStartsGrowWhilePollsContinueThemAndLeaveBeforeAnyOtherMarker() {
        MarkerSender.Pending first = sender.startRuns(List.of(new MarkerRun(0, 0, 4), new MarkerRun(1, 0, 2)),
                timeout, started);
        MarkerSender.Pending second = sender.startRuns(List.of(new MarkerRun(0, 4, 3)), timeout, started);
        assertTrue(producer.history().isEmpty(), "held open");

        sender.sendAsync(new MarkerKey(0, 1), new Marker.End());
        assertEquals(java.util.Set.of("0@0 StartRange", "1@0 StartRange"), java.util.Set.copyOf(
                sent(producer).subList(0, 2)), "the STARTs first, one per partition");
        assertEquals(List.of(7, 2), producer.history().stream().limit(2)
                .map(r -> ((Marker.StartRange) io.kmq.MarkerCodec.decodeValue(r.value())).count())
                .sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(List.of("0@1 End"), sent(producer).subList(2, 3));

        assertFalse(second.isDone());
        producer.completeNext();
        producer.completeNext();
        assertTrue(first.isDone() && second.isDone());
        assertEquals(9, started.sum());
        assertEquals(6, sender.await(first).acknowledged(), "4 of partition 0 and 2 of partition 1");
        assertEquals(3, sender.await(second).acknowledged());
    }

    @Test
    void anOpenStartIsWrittenOnlyForTheStretchesThatStillNeedOne() {
        MarkerSender skipping = new MarkerSender(producer, "orders", "orders__markers", false, true,
                run -> run.partition() == 0 ? List.of(new MarkerRun(0, 1, 1), new MarkerRun(0, 5, 2)) : List.of());
        MarkerSender.Pending zero = skipping.startRuns(List.of(new MarkerRun(0, 0, 8)), timeout, started);
        MarkerSender.Pending one = skipping.startRuns(List.of(new MarkerRun(1, 0, 3)), timeout, started);
        skipping.flushStarts();
        assertEquals(List.of("0@1 StartRange", "0@5 StartRange"), sent(producer), "partition 1 needs none");
        assertTrue(one.succeeded(), "nothing to wait for");
        assertFalse(zero.isDone(), "until both are acknowledged");
        producer.completeNext();
        assertFalse(zero.isDone());
        producer.completeNext();
        assertEquals(8, skipping.await(zero).acknowledged());
        assertEquals(11, started.sum(), "skipped records count as started");
    }

    @Test
    void aFailedStretchFailsTheWholeOpenStart() {
        MarkerSender skipping = new MarkerSender(producer, "orders", "orders__markers", false, true,
                run -> List.of(new MarkerRun(0, 0, 1), new MarkerRun(0, 2, 1)));
        MarkerSender.Pending pending = skipping.startRuns(List.of(new MarkerRun(0, 0, 3)), timeout, started);
        skipping.flushStarts();
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("injected"));
        assertTrue(skipping.await(pending).firstFailure().isPresent());
        assertEquals(2, started.sum(), "the skipped record and the acknowledged stretch");
    }

    @Test
    void aRunThatDoesNotContinueTheOpenStartSendsItAndAFailureReachesEveryBatchInIt() {
        MarkerSender.Pending a = sender.startRuns(List.of(new MarkerRun(0, 0, 4)), timeout, started);
        MarkerSender.Pending b = sender.startRuns(List.of(new MarkerRun(0, 4, 4)), timeout, started);
        MarkerSender.Pending c = sender.startRuns(List.of(new MarkerRun(0, 10, 2)), timeout, started); // a gap
        assertEquals(List.of("0@0 StartRange"), sent(producer), "0..7 sent when 10 did not continue it");
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("injected"));
        assertEquals(4, sender.await(b).firstFailure().orElseThrow().key().offset(), "b's own first record");
        assertEquals(0, sender.await(a).firstFailure().orElseThrow().key().offset());
        assertFalse(c.isDone());
        Thread completing = new Thread(() -> {
            while (producer.history().size() < 2) {
                Thread.onSpinWait();
            }
            producer.completeNext();
        });
        completing.start();
        assertEquals(2, sender.await(c).acknowledged(), "awaiting an open START sends it");
        assertEquals(2, started.sum(), "only what the broker acknowledged");
    }

    @Test
    void aLingeringProducerIsFlushedSoThatStartMarkersLeaveAtOnce() {
        CountingProducer producer = new CountingProducer();
        MarkerSender sender = new MarkerSender(producer, "orders", "orders__markers", true);
        assertEquals(2, sender.sendAndAwait(KEYS, START).acknowledged());
        assertEquals(1, producer.flushes);
    }
}
