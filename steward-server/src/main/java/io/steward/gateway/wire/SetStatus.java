package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/runs/{id}/status}. */
public record SetStatus(String name, @ApiField(description = "any JSON value") Object value) {
}
