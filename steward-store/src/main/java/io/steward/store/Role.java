package io.steward.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a token may do. People's roles are ordered, each allowing everything below it: a viewer reads; an operator
 * also invokes and cancels; an admin also pushes scripts and manages tokens. {@link #AGENT} is apart: the role of
 * an agent's credential, which reaches the agent link and nothing else, and which no person's role includes.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN, AGENT;

    /** Whether a token with this role may do what needs {@code needed}. */
    public boolean allows(Role needed) {
        if (this == AGENT || needed == AGENT) {
            return this == needed;
        }
        return ordinal() >= needed.ordinal();
    }

    /** The lower-case name used in the API and the CLI. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the roles there are
     */
    public static Role parse(String name) {
        if (name != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(name.trim())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "': use one of "
                + Arrays.stream(values()).map(Role::key).collect(Collectors.joining(", ")));
    }
}
