package io.kmq.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human durations used on command lines: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601
 * ({@code PT30S}).
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Duration parse(String text) {
        if (text != null && text.trim().toUpperCase(Locale.ROOT).startsWith("PT")) {
            try {
                Duration iso = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (java.time.format.DateTimeParseException e) {
                // reported below with the accepted forms
            }
        }
        Matcher matcher = text == null ? null : DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected: a whole number with a "
                    + "unit ms, s, m or h, such as 500ms or 30s, or ISO-8601 such as PT30S)");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
        }
        try {
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
        }
    }

    /** Formats a duration the way {@link #parse(String)} reads it, in the largest exact unit. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        } else if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        } else if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
