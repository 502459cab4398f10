package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One line of the audit log: who did what to which target, and when. */
public record AuditEntry(long id, Instant time, String actor, String action, String target,
                         Map<String, Object> details) {

    /** {@code time, actor, action, target, details}, as the API shows it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("actor", actor);
        map.put("action", action);
        map.put("target", target);
        map.put("details", details);
        return map;
    }
}
