package io.steward.gateway;

/**
 * The authenticated client of a request: its token's name and role, and for a run token the one run it acts for.
 *
 * @param run the run a run token belongs to; {@code null} for every stored token
 */
record Caller(String name, Access access, String run) {
    static final String ATTRIBUTE = "steward.caller";

    Caller(String name, Access access) {
        this(name, access, null);
    }

    /** The caller of a run token: named after its run, so that the audit log and invokers say who it was. */
    static Caller ofRun(String runId) {
        return new Caller("run:" + runId, Access.RUN, runId);
    }

    static Caller of(io.javalin.http.Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route without authentication: " + ctx.path());
        }
        return caller;
    }
}
