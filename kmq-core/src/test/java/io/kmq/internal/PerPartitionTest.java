package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerPartitionTest {

    @Test
    void eachPartitionGetsOneObjectMadeWhenFirstAskedFor() {
        AtomicInteger made = new AtomicInteger();
        PerPartition<List<String>> lists = new PerPartition<>(() -> {
            made.incrementAndGet();
            return new ArrayList<>();
        });
        assertNull(lists.get(0));
        assertNull(lists.get(1000));
        List<String> third = lists.getOrCreate(3);
        assertSame(third, lists.getOrCreate(3));
        assertSame(third, lists.get(3));
        assertNull(lists.get(2), "only the partitions asked for");
        List<String> far = lists.getOrCreate(1000); // past twice the length: grown to fit
        assertSame(far, lists.get(1000));
        assertSame(third, lists.get(3), "kept across growth");
        assertEquals(2, made.get());
    }
}
