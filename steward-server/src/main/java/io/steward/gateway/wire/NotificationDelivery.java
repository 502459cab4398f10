package io.steward.gateway.wire;

import java.util.Map;

/** One attempt to deliver a notification. */
public record NotificationDelivery(String runId, long attempt,
                                   @ApiField(description = "DELIVERED, FAILED (tried again) or GAVE_UP") String outcome,
                                   @ApiField(nullable = true, description = "the HTTP status, the error, or the run started")
                                   String detail,
                                   @ApiField(format = "date-time") String attemptedAt) {
    public static NotificationDelivery of(Map<String, ?> d) {
        return Wire.from(d, NotificationDelivery.class);
    }
}
