package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class RateLimitedLogTest {

    @Test
    void logsTheFirstSkipThenAtMostOncePerPeriodWithTheRunningCount() {
        List<Object[]> lines = new ArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn")) {
                        lines.add((Object[]) args[1]);
                    }
                    return null;
                });
        PartitionClockTest.MutableClock clock = new PartitionClockTest.MutableClock();
        RateLimitedLog log = new RateLimitedLog(logger, clock, Duration.ofSeconds(10), "m-0");

        for (int i = 0; i < 100; i++) {
            clock.millis = i * 100L;
            log.skipped("bad " + i);
        }

        assertEquals(100, log.count());
        assertEquals(1, lines.size(), "9.9 s: one line");
        clock.millis = 10_000;
        log.skipped("bad 100");
        assertEquals(2, lines.size());
        assertEquals(101L, lines.get(1)[0]);
        assertEquals("bad 100", lines.get(1)[2]);
    }
}
