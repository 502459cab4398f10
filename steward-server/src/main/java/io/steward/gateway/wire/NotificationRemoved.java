package io.steward.gateway.wire;

/** {@code DELETE /api/v1/notifications/{name}}. */
public record NotificationRemoved(String name, boolean removed) {
}
