package io.steward.gateway.wire;

/** The answer to revoking a token. */
public record TokenRevoked(String name, boolean revoked) {
}
