package io.kmq.example.internal;

import io.kmq.internal.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 5s}, {@code 2m} on the command line. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
