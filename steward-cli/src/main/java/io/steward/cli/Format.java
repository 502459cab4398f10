package io.steward.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** How JSON values from the server read for people: times, durations, sizes, errors and plain values. */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** A string as it is, null as "-", anything else as compact JSON. */
    static String value(Object value) {
        if (value == null) {
            return "-";
        }
        return value instanceof String s ? s : Json.line(value);
    }

    /** An ISO-8601 instant in this machine's time zone, to the second; anything else as it is. */
    static String time(Object iso) {
        if (iso == null) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(iso.toString()));
        } catch (DateTimeParseException e) {
            return iso.toString();
        }
    }

    /** Milliseconds the way people say them: {@code 850 ms}, {@code 12.3 s}, {@code 5 min 3 s}, {@code 2 h 5 min}. */
    static String duration(Object millis) {
        if (!(millis instanceof Number n)) {
            return "-";
        }
        long ms = n.longValue();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return ms / 60_000 + " min " + ms / 1000 % 60 + " s";
        }
        return ms / 3_600_000 + " h " + ms / 60_000 % 60 + " min";
    }

    /** Bytes in binary units: {@code 512 B}, {@code 1.5 GiB}. */
    static String bytes(Object bytes) {
        if (!(bytes instanceof Number n)) {
            return "-";
        }
        double b = n.doubleValue();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? (long) b + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }

    /** A run's error {@code {script, line, column?, message}} the way compilers print it: {@code a.groovy:3:7: message}. */
    static String error(Object error) {
        if (!(error instanceof Map<?, ?> e)) {
            return value(error);
        }
        StringBuilder sb = new StringBuilder();
        if (e.get("script") != null) {
            sb.append(e.get("script"));
            if (e.get("line") instanceof Number line && line.longValue() > 0) {
                sb.append(':').append(line);
                if (e.get("column") instanceof Number column && column.longValue() > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        return sb.append(e.get("message")).toString();
    }
}
