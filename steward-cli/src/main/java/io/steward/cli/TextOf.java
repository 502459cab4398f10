package io.steward.cli;

import java.util.Map;

/** Small phrases the policy commands print. */
final class TextOf {
    private TextOf() {
    }

    /** {@code 2 of 3} for a run's {@code retry} member. */
    static String retry(Map<String, Object> run) {
        return run.get("retry") instanceof Map<?, ?> r ? r.get("attempt") + " of " + r.get("attempts") : "?";
    }

    /** {@code 3 attempts, backoff 2000ms ×2 up to 60000ms} for a stored retry policy. */
    static String retryPolicy(Object policy) {
        if (!(policy instanceof Map<?, ?> p)) {
            return "none";
        }
        StringBuilder text = new StringBuilder(p.get("attempts") + " attempts, backoff " + p.get("backoffMs") + "ms");
        if (p.get("factor") instanceof Number f && f.doubleValue() != 1) {
            text.append(" ×").append(f);
        }
        if (p.get("maxBackoffMs") != null) {
            text.append(" up to ").append(p.get("maxBackoffMs")).append("ms");
        }
        return text.toString();
    }
}
