package io.steward.gateway;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * When a new token expires, from {@code expires} (an ISO-8601 instant such as {@code 2026-12-31T00:00:00Z}, or a
 * duration from now) or {@code expiresIn} (a duration from now). A duration is ISO-8601 ({@code P7D},
 * {@code PT12H}) or Steward's short form ({@code 30s}, {@code 5m}, {@code 1h}) with days ({@code 7d}). The JDK
 * reads every form; this only picks which reader. A mistake is a 400 naming the field.
 */
final class TokenExpiry {
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");
    /** Far enough for any real use, near enough that no arithmetic overflows. */
    private static final Duration LONGEST = Duration.ofDays(36_600);

    private TokenExpiry() {
    }

    /** The instant, or {@code null} for a token that never expires (neither field given). */
    static Instant read(String expires, String expiresIn, Instant now) {
        if (expires != null && expiresIn != null) {
            throw ApiError.badRequest("give expires or expiresIn, not both");
        }
        if (expiresIn != null) {
            return now.plus(duration("expiresIn", expiresIn));
        }
        if (expires == null) {
            return null;
        }
        String text = expires.strip();
        Instant at;
        if (text.length() > 2 && Character.isDigit(text.charAt(0)) && text.contains("T") && text.contains("-")) {
            try {
                at = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("expires is not an ISO-8601 instant such as 2026-12-31T00:00:00Z: '" + text + "'");
            }
        } else {
            at = now.plus(duration("expires", text));
        }
        if (!at.isAfter(now)) {
            throw ApiError.badRequest("expires must be in the future, not " + at);
        }
        return at;
    }

    private static Duration duration(String field, String text) {
        String t = text.strip();
        Duration d;
        try {
            var days = DAYS.matcher(t);
            if (days.matches()) {
                d = Duration.ofDays(Long.parseLong(days.group(1)));
            } else if (t.startsWith("P") || t.startsWith("p")) {
                d = Duration.parse(t);
            } else {
                d = io.steward.client.Durations.parse(t);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiError.badRequest(field + " must be a duration such as 7d, 12h, 30m or P7D"
                    + (field.equals("expires") ? ", or an instant such as 2026-12-31T00:00:00Z" : "") + ", not '" + t + "'");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(LONGEST) > 0) {
            throw ApiError.badRequest(field + " must be more than 0 and at most 36600 days, not '" + t + "'");
        }
        return d;
    }
}
