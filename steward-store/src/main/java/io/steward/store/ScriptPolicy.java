package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A script's policy: at most {@code maxConcurrent} of its runs at once on the primary (none when null), what an
 * invoke over that limit gets, and the retry policy of its invokes that name none (none when null).
 */
public record ScriptPolicy(String script, Integer maxConcurrent, WhenBusy whenBusy, RetryPolicy retry,
                           Instant updatedAt, String updatedBy) {
    public static final int MAX_CONCURRENT = 10_000;

    public ScriptPolicy {
        if (maxConcurrent != null && (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT)) {
            throw new IllegalArgumentException("maxConcurrent must be from 1 to " + MAX_CONCURRENT + ", not "
                    + maxConcurrent + " (clear the policy to lift the limit)");
        }
        whenBusy = whenBusy == null ? WhenBusy.QUEUE : whenBusy;
    }

    /** The API's form. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("script", script);
        map.put("maxConcurrent", maxConcurrent == null ? null : (long) maxConcurrent);
        map.put("whenBusy", whenBusy.key());
        map.put("retry", retry == null ? null : retry.toMap());
        map.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        map.put("updatedBy", updatedBy);
        return map;
    }
}
