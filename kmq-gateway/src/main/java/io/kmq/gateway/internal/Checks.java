package io.kmq.gateway.internal;

import java.time.Duration;
import java.util.Objects;

/** Validation of settings, with messages that name the setting, its value and what was expected. */
public final class Checks {

    private Checks() {
    }

    /** {@code value}, if it is not null or blank. */
    public static String requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " : " + (value == null ? "null" : "'" + value + "'")
                    + " (expected: non-empty)");
        }
        return value;
    }

    /** {@code value}, if it is at least {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    /** {@code value}, if it is within {@code min..max}. */
    public static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    /** {@code value}, if it is longer than zero. */
    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: > 0)");
        }
        return value;
    }
}
