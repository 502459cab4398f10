package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/events/{name}}. */
public record EventAction(@ApiField(description = "post (wake waiters, stay posted), reset, or pulse (wake waiters only)") String action) {
}
