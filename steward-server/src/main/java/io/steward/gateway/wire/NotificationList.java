package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/notifications}. */
public record NotificationList(List<Notification> notifications) {
}
