package io.steward.gateway.wire;

/** {@code GET /api/v1/whoami}. */
public record WhoAmI(String name, @ApiField(description = "viewer, operator, admin, agent or run") String role) {
}
