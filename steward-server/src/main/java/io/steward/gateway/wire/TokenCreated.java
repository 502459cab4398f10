package io.steward.gateway.wire;

/** A new token: the only time the token itself is shown. */
public record TokenCreated(String name, String role, String token,
                           @ApiField(format = "date-time", nullable = true, description = "null for never")
                           String expiresAt,
                           @ApiField(nullable = true) String scripts,
                           @ApiField(nullable = true) String nodes) {
}
