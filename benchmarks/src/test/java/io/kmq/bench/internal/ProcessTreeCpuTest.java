package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessTreeCpuTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void groupsThisJvmsThreadsByNameWithNumbersAsHashes() throws Exception {
        Map<String, Long> before = ProcessTreeCpu.byThreadGroup();
        Thread spinning = new Thread(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }, "cpu-test-7");
        spinning.start();
        Thread.sleep(300);
        Map<String, Long> during = ProcessTreeCpu.byThreadGroup(); // a thread's time is read while it is alive
        spinning.join();

        assertTrue(during.getOrDefault("bench:cpu-test-#", 0L) > TimeUnit.MILLISECONDS.toNanos(50), during.toString());
        assertTrue(during.keySet().stream().allMatch(group -> group.startsWith("bench:")), during.toString());
        assertTrue(during.keySet().stream().noneMatch(group -> group.matches(".*\\d.*")), during.toString());
        assertTrue(ProcessTreeCpu.total(during) > ProcessTreeCpu.total(before));
        assertEquals(-1, ProcessTreeCpu.total(Map.of()));
    }
}
