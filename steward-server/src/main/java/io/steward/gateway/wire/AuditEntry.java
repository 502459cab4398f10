package io.steward.gateway.wire;

import java.util.Map;

/** One line of the audit log: who did what to which target, and when. */
public record AuditEntry(@ApiField(format = "date-time") String time, String actor, String action, String target,
                         Map<String, Object> details) {
    public static AuditEntry of(Map<String, ?> entry) {
        return Wire.from(entry, AuditEntry.class);
    }
}
