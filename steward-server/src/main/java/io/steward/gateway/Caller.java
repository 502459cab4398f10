package io.steward.gateway;

import java.time.Instant;

/**
 * The authenticated client of a request: its token's name, role, scope and expiry, and for a run token the one
 * run it acts for.
 *
 * @param run       the run a run token belongs to; {@code null} for every stored token
 * @param scope     what a stored token is limited to; {@link TokenScope#NONE} for none
 * @param expiresAt when a stored token stops working; {@code null} for never (and for run tokens)
 */
record Caller(String name, Access access, String run, TokenScope scope, Instant expiresAt) {
    static final String ATTRIBUTE = "steward.caller";

    Caller(String name, Access access) {
        this(name, access, null, TokenScope.NONE, null);
    }

    /** The caller of a run token: named after its run, so that the audit log and invokers say who it was. */
    static Caller ofRun(String runId) {
        return new Caller("run:" + runId, Access.RUN, runId, TokenScope.NONE, null);
    }

    /** Whether this is a stored token (one that a revoke or its expiry ends), not a run token. */
    boolean stored() {
        return run == null;
    }

    static Caller of(io.javalin.http.Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route without authentication: " + ctx.path());
        }
        return caller;
    }
}
