package io.kmq.redelivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sidecar's command line, without a broker. */
class TrackerMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TrackerMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpDocumentsEveryOption() {
        assertEquals(0, run("--help"));
        for (String option : List.of("--bootstrap-servers", "--topic", "--group", "--markers-topic",
                "--dead-letter-topic", "--message-timeout", "--max-redeliveries", "--config", "--application-id",
                "--state-dir", "--http-port", "SIGTERM", "Exit codes")) {
            assertTrue(out.toString().contains(option), "--help lacks " + option);
        }
    }

    @Test
    void anUnknownFlagIsAOneLineErrorWithExitCode2() {
        assertEquals(2, run("--topik", "orders"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }

    @Test
    void aBadDurationNamesTheValueAndTheExpectedForm() {
        assertEquals(2, run("--message-timeout", "30 seconds"));
        assertTrue(err.toString().contains("'30 seconds'") && err.toString().contains("such as 500ms or 30s"),
                err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aMissingSettingPointsToItsFlag() {
        assertEquals(2, run("--topic", "orders", "--bootstrap-servers", "localhost:1"));
        assertTrue(err.toString().contains("kmq.group.id") && err.toString().contains("--group"), err.toString());
    }

    @Test
    void anInvalidTrackerSettingInTheConfigFileNamesTheKey() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("kmq", ".properties");
        java.nio.file.Files.writeString(file, "kmq.tracker.punctuation.interval.ms=0\n");
        assertEquals(2, run("--topic", "orders", "--group", "g", "--bootstrap-servers", "localhost:1",
                "--config", file.toString()));
        assertTrue(err.toString().contains("kmq.tracker.punctuation.interval.ms"), err.toString());
    }
}
