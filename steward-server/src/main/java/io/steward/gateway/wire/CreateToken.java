package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/tokens}. */
public record CreateToken(String name, @ApiField(description = "viewer, operator, admin or agent") String role) {
}
