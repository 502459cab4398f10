package io.steward.gateway.wire;

/** The body of {@code PUT /api/v1/runs/{id}/shared/{key}}. */
public record PutShared(@ApiField(description = "any JSON value") Object value) {
}
