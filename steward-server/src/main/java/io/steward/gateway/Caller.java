package io.steward.gateway;

/** The authenticated client of a request: its token's name and role. */
record Caller(String name, Access access) {
    static final String ATTRIBUTE = "steward.caller";

    static Caller of(io.javalin.http.Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route without authentication: " + ctx.path());
        }
        return caller;
    }
}
