package io.kmq.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void twoThousandMessagesWithThirtyPercentDropsEndWithNothingLost() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoOptions options = new DemoOptions(2_000, 0.3, Duration.ofSeconds(2), 4, 3);

        DemoResult result = new Demo(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        assertEquals(2_000, result.sent(), result.line());
        assertEquals(0, result.lost(), result.line());
        assertEquals(2_000, result.processed() + result.deadLettered(), result.line());
        // about 30 % of first deliveries are dropped, and each drop is redelivered (or dead-lettered)
        assertTrue(result.redelivered() >= 400, result.line());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("redelivered="), "progress lines shown");
        assertTrue(result.line().matches("RESULT sent=\\d+ processed=\\d+ lost=\\d+ duplicates=\\d+ redelivered=\\d+ "
                + "dead_lettered=\\d+ elapsed_ms=\\d+"), result.line());
    }

    @Test
    void optionsAreValidatedByName() {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DemoOptions(10, 1.5, Duration.ofSeconds(1), 1, 0));
        assertEquals("--drop : 1.5 (expected: 0 to 1)", error.getMessage());
    }
}
