package io.kmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRoleTest {

    /** A child that prints {@code handled <arg>-<n>} every 10 ms until killed, and one line on stderr. */
    public static final class Worker {
        public static void main(String[] args) throws InterruptedException {
            System.err.println("worker " + args[0] + " started");
            for (int n = 0; ; n++) {
                System.out.println("log line " + n);
                System.out.println("handled " + args[0] + "-" + n);
                Thread.sleep(10);
            }
        }
    }

    /** A child that fails at once with a one-line error, like a command with a bad setting. */
    public static final class Failing {
        public static void main(String[] args) {
            System.err.println("error: kmq.example : bad (expected: good)");
            System.exit(2);
        }
    }

    @Test
    void collectsIdsAcrossRunsAndKillsAndRestarts(@TempDir Path dir) throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        try (ProcessRole role = ProcessRole.builder("worker", Worker.class.getName(), dir)
                .jvmArgs(List.of("-Xmx64m")).args(List.of("w")).ids("handled ", ids::add).build()) {
            JavaProcess first = role.start();
            assertThrows(IllegalStateException.class, role::start, "a second run while the first is alive");
            role.killWhen(() -> role.idsThisRun() >= 5, Duration.ofMinutes(1));
            assertFalse(first.isAlive());
            long afterFirstRun = role.ids();
            assertTrue(afterFirstRun >= 5, "ids of run 1: " + afterFirstRun);

            role.start();
            role.killWhen(() -> role.idsThisRun() >= 3, Duration.ofMinutes(1));
            assertEquals(2, role.runs());
            assertTrue(role.ids() >= afterFirstRun + 3, "ids of both runs: " + role.ids());
            assertEquals(role.ids(), ids.size(), "every id line reaches the collector once, no other line does");
            assertEquals(2, ids.stream().filter("w-0"::equals).count(), "ids are the rest of the line, from both runs: "
                    + ids);
            assertEquals("worker w started", Files.readString(role.stderrOf(2)).strip());
            assertTrue(Files.readAllLines(role.stdoutOf(1)).containsAll(List.of("log line 0", "handled w-0")),
                    "stdout copied");
        }
    }

    @Test
    void killWhenReportsARunThatExitedEarly(@TempDir Path dir) {
        try (ProcessRole role = ProcessRole.builder("failing", Failing.class.getName(), dir).build()) {
            JavaProcess run = role.start();
            assertEquals(OptionalInt.of(2), run.awaitExit(Duration.ofMinutes(1)));
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> role.killWhen(() -> false, Duration.ofMinutes(1)));
            assertTrue(error.getMessage().contains("exited with code 2"), error.getMessage());
            assertTrue(error.getMessage().contains(role.stderrOf(1).toString()), error.getMessage());
        }
    }
}
