package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
        routes.get("/api/v1/whoami", Access.VIEWER, "The calling token's name and role", this::whoami);
        routes.post("/api/v1/tokens", Access.ADMIN, "Create a token (shown once)", this::create);
        routes.get("/api/v1/tokens", Access.ADMIN, "List tokens", this::list);
        routes.delete("/api/v1/tokens/{name}", Access.ADMIN, "Revoke a token", this::revoke);
        routes.get("/api/v1/audit", Access.ADMIN, "Who invoked, cancelled, pushed, deleted or changed tokens", this::audit);
    }

    private void whoami(Context ctx) {
        Caller caller = Caller.of(ctx);
        ctx.json(Map.of("name", caller.name(), "role", caller.access().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBody, Set.of("name", "role"));
        Caller caller = Caller.of(ctx);
        String name = body.string("name");
        Access role = Access.ofRole(body.string("role"));
        if (role == Access.PUBLIC) {
            throw ApiError.badRequest("unknown role 'public': use viewer, operator, admin or agent");
        }
        var created = store.tokens().create(name, io.steward.store.Role.valueOf(role.name()), caller.name());
        // The token is shown once, here; the store keeps only its hash.
        store.audit().record(caller.name(), "token-create", name, Map.of("role", role.name().toLowerCase()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        answer.put("token", created.token());
        ctx.status(201).json(answer);
    }

    private void list(Context ctx) {
        ctx.json(Map.of("tokens", store.tokens().list().stream().map(t -> t.toMap()).toList()));
    }

    private void revoke(Context ctx) {
        String name = ctx.pathParam("name");
        Caller caller = Caller.of(ctx);
        if (!store.tokens().revoke(name)) {
            throw ApiError.notFound("no token named '" + name + "'");
        }
        store.audit().record(caller.name(), "token-revoke", name, Map.of());
        ctx.json(Map.of("name", name, "revoked", true));
    }

    private void audit(Context ctx) {
        ctx.json(Map.of("entries", store.audit().list(RunRoutes.intParam(ctx, "limit", 100, 1, 10_000))
                .stream().map(e -> e.toMap()).toList()));
    }
}
