package io.steward.cli;

import io.steward.client.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Lets options take {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; picocli reports a bad one as a usage error. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            // picocli prints a TypeConversionException's message as it is, without naming the exception class
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
