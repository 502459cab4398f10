package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/runs/{id}/events}. */
public record AddEvent(String name, @ApiField(optional = true) Object data) {
}
