package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.RunTokens;
import io.steward.store.TokenStore;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every matched route: a bearer token that the token store knows, with a role the route allows, or a run
 * token of a live run of this node within its {@link RunTokenScope}. Routes marked {@link Access#PUBLIC} need none. The caller is left on the request for the route and the audit log.
 */
final class Authenticator {
    /**
     * The reads a browser makes without being able to set headers (EventSource, a plain link to the output): only
     * these take the token as {@code ?access_token=}, so tokens do not end up in URLs anywhere else.
     */
    private static final Pattern QUERY_TOKEN_PATHS = Pattern.compile("/api/v1/runs/[^/]+/(events|output)|/api/v1/changes");
    static final String QUERY_TOKEN = "access_token";

    private final TokenStore tokens;
    private final RunTokens runTokens;

    Authenticator(TokenStore tokens, RunTokens runTokens) {
        this.tokens = tokens;
        this.runTokens = runTokens;
    }

    void check(Context ctx) {
        Set<io.javalin.security.RouteRole> roles = ctx.routeRoles();
        Access needed = roles.isEmpty() ? Access.ADMIN : (Access) roles.iterator().next();
        if (needed == Access.PUBLIC || ctx.path().equals(io.steward.nodes.AgentLink.PATH)) {
            // The agent link authenticates agents itself, with agent tokens, when the WebSocket opens.
            return;
        }
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && allowsQueryToken(ctx)) {
            header = "Bearer " + ctx.queryParam(QUERY_TOKEN);
        }
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("this call needs a token: send 'Authorization: Bearer <token>' "
                    + "(the CLI reads --token, STEWARD_TOKEN or <data>/admin.token)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(7).strip();
        if (RunTokens.looksLikeRunToken(token)) {
            ctx.attribute(Caller.ATTRIBUTE, runCaller(ctx, token, needed));
            return;
        }
        var found = tokens.authenticate(token);
        if (found.isEmpty()) {
            throw ApiError.unauthorized("the token is unknown or revoked: ask an admin for a new one");
        }
        Caller caller = new Caller(found.get().name(), Access.ofRole(found.get().role().name()));
        if (!needed.grantedTo(caller.access())) {
            throw ApiError.forbidden("the token '" + caller.name() + "' has the role "
                    + caller.access().name().toLowerCase() + "; this call needs " + needed.name().toLowerCase());
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }

    /** Run tokens live in memory only (never in the store) and only while their run runs. */
    private Caller runCaller(Context ctx, String token, Access needed) {
        String run = runTokens.runOf(token).orElseThrow(() -> ApiError.unauthorized("this run token is not valid "
                + "(any more): a run token works only while the run that launched the process is running"));
        RunTokenScope.check(ctx.req().getMethod(), ctx.path(), needed, run);
        return Caller.ofRun(run);
    }

    private static boolean allowsQueryToken(Context ctx) {
        String token = ctx.queryParam(QUERY_TOKEN);
        return token != null && !token.isBlank() && "GET".equals(ctx.req().getMethod())
                && QUERY_TOKEN_PATHS.matcher(ctx.path()).matches();
    }
}
