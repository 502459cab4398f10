package io.steward.gateway;

import java.time.Duration;

/**
 * Durations in query strings and bodies, read as the client library writes them ({@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}); a mistake is a 400 that names the parameter.
 */
final class Durations {
    private Durations() {
    }

    static Duration parse(String what, String text) {
        try {
            return io.steward.client.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(what + " must be a duration such as 500ms, 30s, 5m or 1h, not '" + text + "'");
        }
    }
}
