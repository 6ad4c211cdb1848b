package io.kmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaProcessTest {

    /** A child that prints its arguments, then waits to be stopped. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
            for (String arg : args) {
                System.out.println("arg " + arg);
            }
            System.out.println("ready");
            Thread.sleep(120_000);
        }
    }

    @Test
    void runsAMainClassInAChildJvmAndKillsIt() throws Exception {
        Path stderr = Files.createTempFile("child", ".err");
        try (JavaProcess child = JavaProcess.start("child", List.of("-Xmx64m"), Child.class.getName(),
                List.of("a", "b"), null, stderr)) {
            assertEquals("arg a", child.awaitLine(line -> line.startsWith("arg"), Duration.ofSeconds(30)));
            assertEquals("ready", child.awaitLine("ready"::equals, Duration.ofSeconds(30)));
            assertTrue(child.isAlive());
            child.kill();
            assertFalse(child.isAlive());
            assertTrue(child.pollLine().isEmpty(), "SIGKILL runs no shutdown hook");
        }
    }

    @Test
    void stopRunsTheChildsShutdownHooks() throws Exception {
        Path stderr = Files.createTempFile("child", ".err");
        try (JavaProcess child = JavaProcess.start("child", List.of("-Xmx64m"), Child.class.getName(),
                List.of(), null, stderr)) {
            child.awaitLine("ready"::equals, Duration.ofSeconds(30));
            child.stop(Duration.ofSeconds(30));
            assertEquals("stopping", child.awaitLine(line -> true, Duration.ofSeconds(5)));
        }
    }

    @Test
    void reportsAChildThatExitsBeforeTheExpectedLine() throws Exception {
        Path stderr = Files.createTempFile("child", ".err");
        try (JavaProcess child = JavaProcess.start("missing", List.of(), "no.such.Main", List.of(), null, stderr)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> child.awaitLine("ready"::equals, Duration.ofSeconds(30)));
            assertTrue(error.getMessage().contains("exited with code"), error.getMessage());
        }
    }
}
