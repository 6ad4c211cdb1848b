package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    @Test
    void parsesShortFormsAndIso() {
        assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
        assertEquals(Duration.ofSeconds(10), DurationConverter.parse("10s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertEquals(Duration.ofSeconds(3), DurationConverter.parse("PT3S"));
        assertEquals(Duration.ofSeconds(3), DurationConverter.parse("pt3s"));
    }

    @Test
    void rejectsOtherTextNamingTheForms() {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationConverter.parse("3 parsecs"));
        assertEquals("duration : '3 parsecs' (expected: a number with ms, s, m or h, such as 500ms or 10s, or "
                + "ISO-8601 such as PT10S)", e.getMessage());
    }
}
