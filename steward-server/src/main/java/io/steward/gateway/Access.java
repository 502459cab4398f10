package io.steward.gateway;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Roles are ordered for people — viewer &lt; operator &lt; admin — while two kinds stand
 * apart: an agent's credential reaches the agent link and nothing else, and a run token ({@link #RUN}, held by the
 * local processes of one run) reaches only the {@link #CALLBACK} routes, and only for its own run
 * ({@link RunTokenScope} checks which run).
 */
enum Access implements RouteRole {
    PUBLIC, VIEWER, OPERATOR, ADMIN, AGENT,
    /** A route a process calls back into its run with: operators and admins on any live run, a run token on its own. */
    CALLBACK,
    /** What a run token holds; never a route's access and never a stored token's role. */
    RUN;

    /** Whether a caller holding {@code held} may use a route that needs this access. */
    boolean grantedTo(Access held) {
        if (this == PUBLIC) {
            return true;
        }
        if (held == RUN) {
            return this == CALLBACK;
        }
        if (this == CALLBACK) {
            return held == OPERATOR || held == ADMIN;
        }
        if (this == AGENT || held == AGENT) {
            return held == this;
        }
        return held.ordinal() >= ordinal();
    }

    /** The access of a stored token's role. */
    static Access ofRole(String role) {
        try {
            Access access = Access.valueOf(role.toUpperCase(java.util.Locale.ROOT));
            if (access == VIEWER || access == OPERATOR || access == ADMIN || access == AGENT) {
                return access;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new IllegalArgumentException("unknown role '" + role + "': use viewer, operator, admin or agent");
    }
}
