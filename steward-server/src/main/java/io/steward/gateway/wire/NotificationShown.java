package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/notifications/{name}}: the notification and its latest delivery attempts, oldest first. */
public record NotificationShown(Notification notification, List<NotificationDelivery> deliveries) {
}
