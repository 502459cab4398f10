package io.steward.gateway;

import io.steward.metrics.ServerMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a request over one of the {@link Limits}: 413 (or 429 for streams), an error code of its own, a
 * message naming the size, the limit and the option that sets it, and {@code details: {limit, max, actual}} for
 * programs. The refusal is counted in {@code steward_limit_refusals_total{limit=…}}.
 */
final class Refusal {
    private Refusal() {
    }

    static Map<String, Object> details(String limit, long max, long actual) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", limit);
        details.put("max", max);
        details.put("actual", actual);
        return details;
    }

    /** A 413 for a value of {@code size} bytes over {@code max}; counts it. */
    static ApiError tooLarge(ServerMetrics metrics, String limit, String code, String message, long max, long size) {
        metrics.refused(limit);
        return new ApiError(413, code, message, details(limit, max, size));
    }
}
