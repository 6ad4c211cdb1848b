package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingAcksTest {

    private record Position(int partition, long offset) {
    }

    private static List<Position> drain(PendingAcks acks) {
        List<Position> taken = new ArrayList<>();
        acks.drainTo((partition, offset) -> taken.add(new Position(partition, offset)));
        return taken;
    }

    @Test
    void givesEachOfferedPositionOnceInOrderAndRefusesWhenFull() {
        PendingAcks acks = new PendingAcks(4);
        assertTrue(acks.isEmpty());
        for (int i = 0; i < 4; i++) {
            assertTrue(acks.offer(i, 10 + i));
        }
        assertFalse(acks.offer(9, 99), "full");
        assertFalse(acks.isEmpty());
        assertEquals(List.of(new Position(0, 10), new Position(1, 11), new Position(2, 12), new Position(3, 13)),
                drain(acks));
        assertTrue(acks.isEmpty());
        assertEquals(List.of(), drain(acks), "taken once");
        assertTrue(acks.offer(5, 50), "room again, across the ring's end");
        assertTrue(acks.offer(6, 60));
        assertEquals(List.of(new Position(5, 50), new Position(6, 60)), drain(acks));
    }

    @Test
    void aSinkThatThrowsLeavesTheEntryItThrewOnAndThoseAfter() {
        PendingAcks acks = new PendingAcks(8);
        acks.offer(0, 1);
        acks.offer(0, 2);
        acks.offer(0, 3);
        assertThrows(IllegalStateException.class, () -> acks.drainTo((partition, offset) -> {
            if (offset == 2) {
                throw new IllegalStateException("refused");
            }
        }));
        assertEquals(List.of(new Position(0, 2), new Position(0, 3)), drain(acks));
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PendingAcks(6));
        assertTrue(e.getMessage().startsWith("capacity : 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PendingAcks(0));
    }

    @Test
    void aConsumerOnAnotherThreadSeesEveryPositionOnceInOrder() throws Exception {
        PendingAcks acks = new PendingAcks(64);
        int count = 200_000;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; ) {
                if (acks.offer(i % 8, i)) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        long[] expected = {0};
        List<String> errors = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (expected[0] < count && System.nanoTime() < deadline) {
            acks.drainTo((partition, offset) -> {
                if (offset != expected[0] || partition != (int) (offset % 8)) {
                    errors.add(partition + "-" + offset + " where " + expected[0] + " was next");
                }
                expected[0]++;
            });
        }
        producer.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())));
        assertEquals(count, expected[0]);
        assertTrue(acks.isEmpty());
    }
}
