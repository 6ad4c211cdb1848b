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

    private record Stretch(int partition, long first, int count) {
    }

    private static List<Position> drain(PendingAcks acks) {
        List<Position> taken = new ArrayList<>();
        acks.drainTo((partition, first, count) -> {
            for (int i = 0; i < count; i++) {
                taken.add(new Position(partition, first + i));
            }
        });
        return taken;
    }

    @Test
    void consecutiveOffsetsOfAPartitionComeAsOneStretch() {
        PendingAcks acks = new PendingAcks(16);
        long[][] offered = {{0, 5}, {0, 6}, {0, 7}, {1, 8}, {1, 9}, {0, 8}, {0, 10}, {0, 10}, {0, 11}};
        for (long[] position : offered) {
            assertTrue(acks.offer((int) position[0], position[1]));
        }
        List<Stretch> stretches = new ArrayList<>();
        assertEquals(offered.length, acks.drainTo((partition, first, count) ->
                stretches.add(new Stretch(partition, first, count))));
        assertEquals(List.of(new Stretch(0, 5, 3), new Stretch(1, 8, 2), new Stretch(0, 8, 1), new Stretch(0, 10, 1),
                new Stretch(0, 10, 2)), stretches, "in order; a repeated offset starts a new stretch");
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
    void theOpenStretchIsGivenInPartsAsItGrowsEachOffsetOnce() {
        PendingAcks acks = new PendingAcks(4);
        acks.offer(0, 10);
        acks.offer(0, 11);
        assertEquals(List.of(new Position(0, 10), new Position(0, 11)), drain(acks));
        assertTrue(acks.isEmpty(), "the open stretch is given in full so far");
        acks.offer(0, 12);
        assertFalse(acks.isEmpty());
        acks.offer(1, 0);
        acks.offer(1, 1);
        assertEquals(List.of(new Position(0, 12), new Position(1, 0), new Position(1, 1)), drain(acks),
                "the rest of the first stretch, then the new one");
        assertEquals(List.of(), drain(acks));
    }

    @Test
    void aStretchTakesOneSlotHoweverLongItGrows() {
        PendingAcks acks = new PendingAcks(2);
        for (long offset = 0; offset < 10_000; offset++) {
            assertTrue(acks.offer(0, offset));
        }
        assertTrue(acks.offer(1, 0), "a second stretch in the second slot");
        assertFalse(acks.offer(2, 0), "full: no slot for a third stretch");
        assertTrue(acks.offer(1, 1), "the open stretch still grows");
        List<Stretch> stretches = new ArrayList<>();
        assertEquals(10_002, acks.drainTo((partition, first, count) ->
                stretches.add(new Stretch(partition, first, count))));
        assertEquals(List.of(new Stretch(0, 0, 10_000), new Stretch(1, 0, 2)), stretches);
        assertTrue(acks.offer(2, 0), "room again once the closed stretch is taken");
    }

    @Test
    void aSinkThatThrowsLeavesTheStretchItThrewOnAndThoseAfter() {
        PendingAcks acks = new PendingAcks(8);
        acks.offer(0, 1);
        acks.offer(1, 2);
        acks.offer(1, 3);
        acks.offer(2, 4);
        assertThrows(IllegalStateException.class, () -> acks.drainTo((partition, first, count) -> {
            if (partition == 1) {
                throw new IllegalStateException("refused");
            }
        }));
        assertEquals(List.of(new Position(1, 2), new Position(1, 3), new Position(2, 4)), drain(acks));
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
                if (acks.offer(i / 100 % 8, i)) { // stretches of 100, cut where a drain ends
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
            acks.drainTo((partition, first, stretch) -> {
                for (long offset = first; offset < first + stretch; offset++) {
                    if (offset != expected[0] || partition != (int) (offset / 100 % 8)) {
                        errors.add(partition + "-" + offset + " where " + expected[0] + " was next");
                    }
                    expected[0]++;
                }
            });
        }
        producer.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())));
        assertEquals(count, expected[0]);
        assertTrue(acks.isEmpty());
    }
}
