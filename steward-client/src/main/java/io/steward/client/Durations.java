package io.steward.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations the way Steward writes them everywhere (API, CLI, scripts): a whole number and a unit, {@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}. A bare number is refused rather than guessed at, because "30" means seconds
 * to one reader and milliseconds to the next.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}; throws IllegalArgumentException naming the text. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            String hint = t.chars().allMatch(Character::isDigit) && !t.isEmpty() ? " needs a unit:" : " is not a duration: use";
            throw new IllegalArgumentException("'" + t + "'" + hint + " a whole number with ms, s, m or h, e.g. 500ms, 30s, 5m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact form in the same syntax: 90 seconds is {@code 90s}, 2 hours {@code 2h}; below 1 ms rounds up. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a duration cannot be negative: " + d);
        }
        long ms = d.toMillis() + (d.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
