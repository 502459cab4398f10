package io.steward.gateway;

import io.steward.store.RetryPolicy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Reads a retry policy given as JSON ({@code {"attempts": 3, "backoff": "2s", "factor": 2, "maxBackoff": "1m"}}),
 * in an invoke's body or a script policy's; a mistake is a 400 naming the field.
 */
final class RetrySpecs {
    private static final Set<String> FIELDS = Set.of("attempts", "backoff", "factor", "maxBackoff");

    private RetrySpecs() {
    }

    /** The policy, or null when {@code value} is null. */
    static RetryPolicy read(String where, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiError.badRequest(where + " must be an object such as {\"attempts\": 3, \"backoff\": \"2s\"}");
        }
        for (Object key : map.keySet()) {
            if (!FIELDS.contains(key)) {
                throw ApiError.badRequest("unknown field '" + where + "." + key + "': it may have " + FIELDS);
            }
        }
        Object attempts = map.get("attempts");
        if (!(attempts instanceof Integer || attempts instanceof Long)) {
            throw ApiError.badRequest(where + ".attempts is required: a whole number from 1 to "
                    + RetryPolicy.MAX_ATTEMPTS + " (the first attempt included)");
        }
        long n = ((Number) attempts).longValue();
        if (n < 1 || n > RetryPolicy.MAX_ATTEMPTS) {
            throw ApiError.badRequest(where + ".attempts must be from 1 to " + RetryPolicy.MAX_ATTEMPTS
                    + " (the first attempt included), not " + n);
        }
        Object factor = map.get("factor");
        if (factor != null && !(factor instanceof Number)) {
            throw ApiError.badRequest(where + ".factor must be a number of 1 or more, such as 2");
        }
        try {
            return new RetryPolicy((int) n, duration(where + ".backoff", map.get("backoff")),
                    factor == null ? 1 : ((Number) factor).doubleValue(), duration(where + ".maxBackoff", map.get("maxBackoff")));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Duration duration(String what, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            long ms = ((Number) value).longValue();
            if (ms < 0) {
                throw ApiError.badRequest(what + " must be 0 or more, such as \"2s\" or 2000, not " + ms);
            }
            return Duration.ofMillis(ms);
        }
        if (value instanceof String text) {
            if (text.strip().startsWith("-")) {
                throw ApiError.badRequest(what + " must be 0 or more, such as \"2s\", not '" + text + "'");
            }
            if (text.strip().equals("0")) {
                return Duration.ZERO;
            }
            return Durations.parse(what, text);
        }
        throw ApiError.badRequest(what + " must be a duration such as \"2s\" or milliseconds");
    }
}
