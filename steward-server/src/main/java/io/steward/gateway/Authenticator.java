package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.RunTokens;
import io.steward.store.TokenInfo;
import io.steward.store.TokenStore;

import java.time.Instant;

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
        TokenInfo info = found.get();
        if (info.expiredAt(Instant.now())) {
            throw ApiError.unauthorized("the token '" + info.name() + "' expired at " + info.expiresAt()
                    + ": ask an admin for a new one ('steward token create --name N --role R --expires 7d')");
        }
        Caller caller = new Caller(info.name(), Access.ofRole(info.role().name()), null, TokenScope.of(info),
                info.expiresAt());
        if (!needed.grantedTo(caller.access())) {
            throw ApiError.forbidden("the token '" + caller.name() + "' has the role "
                    + caller.access().name().toLowerCase() + "; this call needs " + needed.name().toLowerCase());
        }
        if (!caller.scope().unscoped()) {
            checkReach(ctx, needed, caller);
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }

    /**
     * What a scoped token cannot reach at all, whatever its role: managing tokens and the audit log (only an
     * unscoped admin), schedules (they invoke later, on nodes resolved later), callbacks (a run's processes have run
     * tokens), notifications and node approval or revoke; a script's policy only for a script within its scope.
     * Runs, scripts, events and the change stream check the scope themselves, per script and node.
     */
    private static void checkReach(Context ctx, Access needed, Caller caller) {
        String path = ctx.path();
        boolean nodeChange = path.startsWith("/api/v1/nodes/") && !"GET".equals(ctx.req().getMethod());
        if (needed == Access.CALLBACK || nodeChange || SCOPED_NEVER.matcher(path).lookingAt()) {
            throw ApiError.forbidden("the token '" + caller.name() + "' is scoped (" + caller.scope().describe()
                    + "): " + path + " needs an unscoped token");
        }
        if (path.startsWith(SCRIPTS) && path.endsWith(POLICY)) {
            caller.scope().checkScript(caller, path.substring(SCRIPTS.length(), path.length() - POLICY.length()));
        }
    }

    private static final Pattern SCOPED_NEVER = Pattern.compile("/api/v1/(tokens|audit|schedules|notifications)(/|$)");
    private static final String SCRIPTS = "/api/v1/scripts/";
    private static final String POLICY = "/policy";

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
