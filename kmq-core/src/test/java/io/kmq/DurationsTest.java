package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.internal.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse(" 2M "));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("PT3S"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("pt3s"));
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("5s", Durations.format(Duration.ofSeconds(5)));
        assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
        assertEquals("0ms", Durations.format(Duration.ZERO));
    }

    @Test
    void rejectsTextThatIsNotADuration() {
        for (String bad : new String[] {"", "5", "s", "-5s", "5 days", "1.5s", "99999999999999999999s", "9999999999999999h", "PT-3S", "P1D"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertTrue(error.getMessage().contains("'" + bad + "'"), error.getMessage());
        }
    }
}
