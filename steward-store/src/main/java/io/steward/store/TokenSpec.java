package io.steward.store;

import java.time.Instant;

/**
 * What a new token may do and for how long, beyond its role. The store keeps {@code scripts} and {@code nodes} as
 * text and does not interpret them: the gateway checks their syntax before it creates a token and enforces them on
 * every request.
 *
 * @param expiresAt when it stops working; {@code null} for never
 * @param scripts   a glob of the script names it may touch; {@code null} for all
 * @param nodes     a node selector of the nodes it may invoke runs on; {@code null} for all
 */
public record TokenSpec(Instant expiresAt, String scripts, String nodes) {
    public static final TokenSpec UNLIMITED = new TokenSpec(null, null, null);
}
