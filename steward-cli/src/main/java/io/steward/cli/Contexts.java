package io.steward.cli;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The servers a user has logged in to, each a named context, and which of them is current: what {@code steward login}
 * writes and every command reads when no flag or variable names a server. Immutable; a change is a new value, written
 * by {@link ConfigFile}.
 *
 * <p>On disk it is JSON that a person can read and edit:
 * <pre>{@code
 * {
 *   "current" : "prod",
 *   "contexts" : {
 *     "lab"  : { "server" : "http://lab-1:7640" },
 *     "prod" : { "server" : "https://steward.example.com", "token" : "stw_…" }
 *   }
 * }
 * }</pre>
 * A context without a token is one the user logged out of: its server is still known and {@code context use} still
 * picks it.
 */
record Contexts(String current, Map<String, Context> byName) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /**
     * One server and the token stored for it (null after {@code logout}), and the CA certificate its TLS certificate
     * chains to (null for the JDK's CA store or a plain http server).
     */
    record Context(String name, String server, String token, java.nio.file.Path caCert) {
        Context(String name, String server, String token) {
            this(name, server, token, null);
        }

        Context withoutToken() {
            return new Context(name, server, null, caCert);
        }
    }

    static final Contexts EMPTY = new Contexts(null, Map.of());

    Contexts {
        byName = java.util.Collections.unmodifiableMap(new TreeMap<>(byName));
        if (current != null && !byName.containsKey(current)) {
            current = null;
        }
    }

    /** A context name must be usable unquoted in a shell and as a file-name-like key. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a context name: use letters, digits, '.', '_' and '-'"
                    + " (at most 63, starting with a letter or digit)");
        }
        return name;
    }

    Optional<Context> currentContext() {
        return current == null ? Optional.empty() : Optional.of(byName.get(current));
    }

    Optional<Context> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The context, or an error that names the contexts there are. */
    Context require(String name) {
        Context context = byName.get(name);
        if (context == null) {
            throw new IllegalArgumentException("no context '" + name + "'"
                    + (byName.isEmpty() ? ": log in first with `steward login URL --name " + name + "`"
                    : " (there are: " + String.join(", ", byName.keySet()) + "); see `steward context list`"));
        }
        return context;
    }

    /** The first context (by name) whose server is {@code url}, ignoring trailing slashes. */
    Optional<Context> forServer(String url) {
        return byName.values().stream().filter(c -> Connection.sameServer(c.server(), url)).findFirst();
    }

    Collection<Context> all() {
        return byName.values();
    }

    /** These contexts with {@code context} added or replaced, and made current. */
    Contexts put(Context context) {
        Map<String, Context> copy = new TreeMap<>(byName);
        copy.put(context.name(), context);
        return new Contexts(context.name(), copy);
    }

    Contexts use(String name) {
        require(name);
        return new Contexts(name, byName);
    }

    /** Without the context; if it was current, none is current any more (the next login or use picks one). */
    Contexts remove(String name) {
        require(name);
        Map<String, Context> copy = new TreeMap<>(byName);
        copy.remove(name);
        return new Contexts(name.equals(current) ? null : current, copy);
    }

    Contexts logout(String name) {
        Map<String, Context> copy = new TreeMap<>(byName);
        copy.put(name, require(name).withoutToken());
        return new Contexts(current, copy);
    }
}
