package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    @Test
    void slotsComeInDeadlineOrderThenKeyOrder() {
        Random random = new Random(7);
        DeadlineIndex index = new DeadlineIndex();
        List<DeadlineIndex.Slot> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            DeadlineIndex.Slot slot = new DeadlineIndex.Slot(random.nextInt(500),
                    new MarkerKey(random.nextInt(4), random.nextInt(1000)));
            if (!expected.contains(slot)) {
                expected.add(slot);
                index.add(slot.deadline(), slot.key());
            }
        }
        expected.sort(Comparator.comparingLong(DeadlineIndex.Slot::deadline)
                .thenComparingInt(s -> s.key().partition()).thenComparingLong(s -> s.key().offset()));
        assertEquals(expected, list(index.before(Long.MAX_VALUE)));
        assertEquals(expected.size(), index.size());
        assertEquals(expected.get(0).deadline(), index.earliest());
    }

    @Test
    void beforeIsExclusiveAndFirstAtOrAfterInclusive() {
        DeadlineIndex index = new DeadlineIndex();
        index.add(999, new MarkerKey(7, Long.MAX_VALUE - 1));
        index.add(1000, new MarkerKey(0, 0));
        index.add(1500, new MarkerKey(1, 3));
        assertEquals(List.of(new DeadlineIndex.Slot(999, new MarkerKey(7, Long.MAX_VALUE - 1))),
                list(index.before(1000)));
        assertEquals(OptionalLong.of(1000), index.firstAtOrAfter(1000));
        assertEquals(OptionalLong.of(1500), index.firstAtOrAfter(1001));
        assertEquals(OptionalLong.empty(), index.firstAtOrAfter(1501));
        assertEquals(List.of(), list(index.before(0)));
    }

    @Test
    void moveAndRemoveKeepOneSlotPerEntry() {
        DeadlineIndex index = new DeadlineIndex();
        MarkerKey key = new MarkerKey(0, 5);
        index.add(100, key);
        index.move(100, 300, key);
        index.move(300, 300, key);
        assertEquals(List.of(new DeadlineIndex.Slot(300, key)), list(index.before(Long.MAX_VALUE)));
        index.remove(300, key);
        assertEquals(0, index.size());
        assertEquals(Long.MAX_VALUE, index.earliest());
    }

    @Test
    void negativeDeadlinesAreClampedAndSumsSaturate() {
        assertEquals(0, DeadlineIndex.clamp(-5));
        assertEquals(Long.MAX_VALUE, DeadlineIndex.plus(Long.MAX_VALUE - 10, 100));
        assertEquals(110, DeadlineIndex.plus(10, 100));
    }

    private static List<DeadlineIndex.Slot> list(Iterable<DeadlineIndex.Slot> slots) {
        return StreamSupport.stream(slots.spliterator(), false).toList();
    }
}
