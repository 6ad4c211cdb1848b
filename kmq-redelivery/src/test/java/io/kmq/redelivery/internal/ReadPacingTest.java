package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadPacingTest {

    private final ReadPacing pacing = ReadPacing.ofCurrentThread();
    private final List<Runnable> registrations = new ArrayList<>();

    @AfterEach
    void unregister() {
        registrations.forEach(Runnable::run);
    }

    private void task(long readWantedBy) {
        registrations.add(pacing.register(() -> readWantedBy));
    }

    @Test
    void withoutTasksTheThreadNeverWaits() {
        assertEquals(0, pacing.quietMillis(1_000, 500));
    }

    @Test
    void theEarliestTaskDecidesCappedByTheMaximum() {
        task(Long.MAX_VALUE);
        assertEquals(500, pacing.quietMillis(1_000, 500));
        task(1_300);
        task(1_200);
        assertEquals(200, pacing.quietMillis(1_000, 500));
        assertEquals(0, pacing.quietMillis(1_200, 500));
    }

    @Test
    void aTaskWantingTheMarkersAtOnceStopsTheWait() {
        task(Long.MAX_VALUE);
        task(Long.MIN_VALUE);
        assertEquals(0, pacing.quietMillis(1_000, 500));
    }

    @Test
    void aZeroMaximumTurnsPacingOff() {
        task(Long.MAX_VALUE);
        assertEquals(0, pacing.quietMillis(1_000, 0));
    }

    @Test
    void anUnregisteredTaskNoLongerCounts() {
        task(Long.MAX_VALUE);
        Runnable unregister = pacing.register(() -> Long.MIN_VALUE);
        assertEquals(0, pacing.quietMillis(1_000, 500));
        unregister.run();
        assertEquals(500, pacing.quietMillis(1_000, 500));
    }

    @Test
    void eachThreadHasItsOwnPacing() throws InterruptedException {
        task(Long.MIN_VALUE);
        long[] seen = new long[1];
        Thread other = new Thread(() -> seen[0] = ReadPacing.ofCurrentThread().quietMillis(1_000, 500));
        other.start();
        other.join();
        assertEquals(0, seen[0], "the other thread has no tasks, so no reason to wait either");
        ReadPacing[] othersPacing = new ReadPacing[1];
        Thread third = new Thread(() -> othersPacing[0] = ReadPacing.ofCurrentThread());
        third.start();
        third.join();
        assertNotSame(pacing, othersPacing[0]);
    }
}
