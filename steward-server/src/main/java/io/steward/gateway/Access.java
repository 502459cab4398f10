package io.steward.gateway;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Roles are ordered for people — viewer &lt; operator &lt; admin — while the agent role
 * stands apart: an agent's credential reaches the agent link and nothing else.
 */
enum Access implements RouteRole {
    PUBLIC, VIEWER, OPERATOR, ADMIN, AGENT;

    /** Whether a caller holding {@code held} may use a route that needs this access. */
    boolean grantedTo(Access held) {
        if (this == PUBLIC) {
            return true;
        }
        if (this == AGENT || held == AGENT) {
            return held == this;
        }
        return held.ordinal() >= ordinal();
    }

    static Access ofRole(String role) {
        try {
            return Access.valueOf(role.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + role + "': use viewer, operator, admin or agent");
        }
    }
}
