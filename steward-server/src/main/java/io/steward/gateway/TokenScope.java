package io.steward.gateway;

import io.steward.nodes.Selector;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * What a stored token is limited to beyond its role (docs/api.md, "Tokens"): a glob over script names and a node
 * selector. Script names are paths, so the glob is the JDK's path glob: {@code *} stays within one folder
 * ({@code deploy/*} matches {@code deploy/web.groovy}, not {@code deploy/eu/web.groovy}), {@code **} crosses
 * folders, {@code {a,b}} and {@code [..]} work as usual. The node selector is the one {@code on} takes; a node is
 * within it when the selector picks that node by name or labels.
 *
 * @param scripts the glob as given; {@code null} for every script
 * @param nodes   the selector; {@code null} for every node
 */
record TokenScope(String scripts, PathMatcher scriptMatcher, Selector nodes) {
    static final TokenScope NONE = new TokenScope(null, null, null);

    /**
     * Reads a scope as a client gives it; a bad glob or selector is a 400 naming the field.
     */
    static TokenScope parse(String scripts, String nodes) {
        PathMatcher matcher = null;
        if (scripts != null) {
            if (scripts.isBlank() || scripts.length() > 255 || scripts.startsWith("/") || scripts.contains("\0")) {
                throw ApiError.badRequest("scripts must be a glob of script names such as 'deploy/*' or 'ops/**' "
                        + "(1 to 255 characters, not starting with '/'), not '" + scripts + "'");
            }
            try {
                matcher = FileSystems.getDefault().getPathMatcher("glob:" + scripts);
            } catch (PatternSyntaxException e) {
                throw ApiError.badRequest("scripts is not a valid glob: " + e.getDescription() + " in '" + scripts
                        + "'; use *, ** and ? as in 'deploy/*'");
            }
        }
        Selector selector = null;
        if (nodes != null) {
            if (nodes.length() > 1000) {
                throw ApiError.badRequest("nodes must be a node selector of at most 1000 characters");
            }
            try {
                selector = Selector.parse(nodes);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("nodes is not a node selector: " + e.getMessage());
            }
        }
        return scripts == null && nodes == null ? NONE : new TokenScope(scripts, matcher, selector);
    }

    /** The scope of a stored token, whose fields were checked when it was created. */
    static TokenScope of(io.steward.store.TokenInfo token) {
        if (token.scripts() == null && token.nodes() == null) {
            return NONE;
        }
        try {
            return parse(token.scripts(), token.nodes());
        } catch (ApiError e) {
            // Changed past the API (by hand in the database): a token that cannot say its scope reaches nothing.
            throw ApiError.forbidden("the token '" + token.name() + "' has a scope that is not valid any more ("
                    + e.getMessage() + "): an admin must replace it");
        }
    }

    boolean unscoped() {
        return scriptMatcher == null && nodes == null;
    }

    /** Whether the token may touch the script {@code name}. */
    boolean allowsScript(String name) {
        if (scriptMatcher == null) {
            return true;
        }
        if (name == null) {
            return false;
        }
        try {
            return scriptMatcher.matches(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** @throws ApiError 403 naming the token's scope when the script is outside it */
    void checkScript(Caller caller, String name) {
        if (!allowsScript(name)) {
            throw ApiError.forbidden("the token '" + caller.name() + "' may only use scripts matching '" + scripts
                    + "'; '" + name + "' is outside its scope");
        }
    }

    /** @throws ApiError 403 naming the node when the token may not invoke runs on it */
    void checkNode(Caller caller, String node, Map<String, String> labels) {
        if (nodes != null && !nodes.matches(node, labels == null ? Map.of() : labels)) {
            throw ApiError.forbidden("the token '" + caller.name() + "' may only invoke runs on nodes matching '"
                    + nodes.text() + "'; the node '" + node + "' is outside its scope");
        }
    }

    /** How the API and the CLI show it: {@code scripts=deploy/* nodes=env=lab}, or {@code null} for none. */
    String describe() {
        if (unscoped()) {
            return null;
        }
        return ((scripts == null ? "" : "scripts=" + scripts) + (nodes == null ? "" : " nodes=" + nodes.text())).strip();
    }
}
