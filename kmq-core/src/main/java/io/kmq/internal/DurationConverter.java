package io.kmq.internal;

import java.time.Duration;
import picocli.CommandLine;

/**
 * The picocli converter of every kmq command line for durations ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h},
 * {@code PT30S}); a bad value is a one-line error naming it. Needs picocli, an optional dependency of kmq-core.
 */
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
