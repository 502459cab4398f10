package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.gateway.wire.AuditEntry;
import io.steward.gateway.wire.AuditPage;
import io.steward.gateway.wire.CreateToken;
import io.steward.gateway.wire.Token;
import io.steward.gateway.wire.TokenCreated;
import io.steward.gateway.wire.TokenList;
import io.steward.gateway.wire.TokenRevoked;
import io.steward.gateway.wire.WhoAmI;
import io.steward.store.Store;
import io.steward.store.TokenSpec;

import java.util.Map;

import static io.steward.gateway.Operation.op;

/** Tokens, the audit log, and who the caller is. */
final class AdminRoutes {
    private final Store store;
    private final ObjectMapper mapper;
    private final long maxBody;

    AdminRoutes(Store store, ObjectMapper mapper, long maxBody) {
        this.store = store;
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/whoami", Access.VIEWER, op("tokens", "whoami", "The calling token's name and role")
                .answers(200, WhoAmI.class), this::whoami);
        routes.post("/api/v1/tokens", Access.ADMIN, op("tokens", "createToken", "Create a token (shown once)")
                .body(CreateToken.class).answers(201, TokenCreated.class).errors(409), this::create);
        routes.get("/api/v1/tokens", Access.ADMIN, op("tokens", "listTokens", "List tokens")
                .answers(200, TokenList.class), this::list);
        routes.delete("/api/v1/tokens/{name}", Access.ADMIN, op("tokens", "revokeToken", "Revoke a token")
                .answers(200, TokenRevoked.class), this::revoke);
        routes.get("/api/v1/audit", Access.ADMIN, op("audit", "listAudit",
                "Who invoked, cancelled, pushed, deleted or changed tokens")
                .query("limit", Integer.class, "how many of the latest entries, 1 to 10000 (100)")
                .answers(200, AuditPage.class), this::audit);
    }

    private void whoami(Context ctx) {
        Caller caller = Caller.of(ctx);
        ctx.json(new WhoAmI(caller.name(), caller.access().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, CreateToken.class);
        Caller caller = Caller.of(ctx);
        String name = body.string("name");
        Access role = Access.ofRole(body.string("role"));
        if (role == Access.PUBLIC) {
            throw ApiError.badRequest("unknown role 'public': use viewer, operator, admin or agent");
        }
        String scripts = body.optionalString("scripts");
        String nodes = body.optionalString("nodes");
        TokenScope.parse(scripts, nodes); // a bad glob or selector is a 400 naming the field, and nothing is made
        java.time.Instant expiresAt = TokenExpiry.read(body.optionalString("expires"), body.optionalString("expiresIn"),
                java.time.Instant.now());
        var created = store.tokens().create(name, io.steward.store.Role.valueOf(role.name()), caller.name(),
                new TokenSpec(expiresAt, scripts, nodes));
        // The token is shown once, here; the store keeps only its hash.
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("role", role.name().toLowerCase());
        created.info().toMap().forEach((k, v) -> {
            if (v != null && (k.equals("expiresAt") || k.equals("scripts") || k.equals("nodes"))) {
                details.put(k, v);
            }
        });
        store.audit().record(caller.name(), "token-create", name, details);
        var info = created.info();
        ctx.status(201).json(new TokenCreated(name, role.name().toLowerCase(java.util.Locale.ROOT), created.token(),
                info.expiresAt() == null ? null : info.expiresAt().toString(), info.scripts(), info.nodes()));
    }

    private void list(Context ctx) {
        ctx.json(new TokenList(store.tokens().list().stream().map(t -> Token.of(t.toMap())).toList()));
    }

    private void revoke(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        if (!store.tokens().revoke(name)) {
            throw ApiError.notFound("no token named '" + name + "'");
        }
        store.audit().record(caller.name(), "token-revoke", name, Map.of());
        ctx.json(new TokenRevoked(name, true));
    }

    private void audit(Context ctx) {
        ctx.json(new AuditPage(store.audit().list(RunRoutes.intParam(ctx, "limit", 100, 1, 10_000))
                .stream().map(e -> AuditEntry.of(e.toMap())).toList()));
    }
}
