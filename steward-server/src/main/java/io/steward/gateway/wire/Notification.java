package io.steward.gateway.wire;

import java.util.List;
import java.util.Map;

/** A notification. */
public record Notification(String name, List<String> states,
                           @ApiField(nullable = true) String script,
                           @ApiField(nullable = true) String webhook,
                           @ApiField(nullable = true) String runScript,
                           @ApiField(format = "date-time") String createdAt, String createdBy) {
    public static Notification of(Map<String, ?> n) {
        return Wire.from(n, Notification.class);
    }
}
