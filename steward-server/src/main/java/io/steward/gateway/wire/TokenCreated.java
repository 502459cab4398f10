package io.steward.gateway.wire;

/** A new token: the only time the token itself is shown. */
public record TokenCreated(String name, String role, String token) {
}
