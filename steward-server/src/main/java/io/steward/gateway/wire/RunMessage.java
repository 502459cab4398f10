package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/runs/{id}/messages}. */
public record RunMessage(@ApiField(description = "any JSON value, null included") Object message) {
}
