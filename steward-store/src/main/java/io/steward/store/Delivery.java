package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt to deliver a notification about a run.
 *
 * @param outcome DELIVERED, FAILED (another attempt follows) or GAVE_UP (the last attempt failed)
 * @param detail  what happened: the HTTP status, the error, or the started run's id
 */
public record Delivery(long id, String notification, String runId, int attempt, Outcome outcome, String detail,
                       Instant attemptedAt) {

    public enum Outcome { DELIVERED, FAILED, GAVE_UP }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("runId", runId);
        map.put("attempt", (long) attempt);
        map.put("outcome", outcome.name());
        map.put("detail", detail);
        map.put("attemptedAt", attemptedAt == null ? null : attemptedAt.toString());
        return map;
    }
}
