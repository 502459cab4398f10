package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.NodeInfo;
import io.steward.nodes.Nodes;
import io.steward.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Health, the primary's own node info (claim 22), the node list, and the OpenAPI document. */
final class ServerRoutes {
    private final Coordinator coordinator;
    private final Store store;
    private final Nodes nodes;
    private final RouteTable table;

    ServerRoutes(Coordinator coordinator, Store store, Nodes nodes, RouteTable table) {
        this.coordinator = coordinator;
        this.store = store;
        this.nodes = nodes;
        this.table = table;
    }

    void register(RouteTable routes) {
        routes.get("/health", Access.PUBLIC, "Liveness, without authentication", this::health);
        routes.get("/api/v1/openapi.json", Access.PUBLIC, "This API as OpenAPI 3.1", this::openApi);
        routes.get("/api/v1/server", Access.VIEWER, "The primary's node info, uptime and run counts", this::server);
        routes.get("/api/v1/nodes", Access.VIEWER, "Every node with its state, labels and info", this::nodes);
        routes.get("/api/v1/nodes/{name}", Access.VIEWER, "One node", this::node);
        routes.post("/api/v1/nodes/{name}/approve", Access.ADMIN, "Let a pending agent run things", this::approve);
        routes.post("/api/v1/nodes/{name}/revoke", Access.ADMIN, "Revoke an agent: its credential dies, its link closes", this::revoke);
    }

    private void health(Context ctx) {
        ctx.json(Map.of("status", "ok", "version", NodeInfo.VERSION));
    }

    private void openApi(Context ctx) {
        ctx.json(OpenApi.document(table.routes(), NodeInfo.VERSION));
    }

    private void server(Context ctx) {
        NodeInfo node = coordinator.node();
        Map<String, Object> info = new LinkedHashMap<>(node.toMap());
        info.put("uptimeMs", Duration.between(node.startedAt(), Instant.now()).toMillis());
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("active", (long) coordinator.activeRuns());
        runs.put("byState", store.runs().countsByState());
        info.put("runs", runs);
        info.put("launcher", coordinator.launcherError()
                .map(e -> (Object) Map.of("loaded", false, "error", e.toMap())).orElse(Map.of("loaded", true)));
        ctx.json(info);
    }

    private void nodes(Context ctx) {
        ctx.json(Map.of("nodes", nodes.list()));
    }

    private void node(Context ctx) {
        String name = ctx.pathParam("name");
        ctx.json(nodes.get(name).orElseThrow(() -> ApiError.notFound("no node named '" + name + "'")));
    }

    private void approve(Context ctx) {
        String name = ctx.pathParam("name");
        if (!nodes.approve(name)) {
            throw nodes.get(name).isEmpty() ? ApiError.notFound("no node named '" + name + "'")
                    : ApiError.conflict("the node '" + name + "' is not pending approval");
        }
        store.audit().record(Caller.of(ctx).name(), "node-approve", name, Map.of());
        ctx.json(nodes.get(name).orElseThrow());
    }

    private void revoke(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.equals(nodes.primaryName()) || !nodes.revoke(name)) {
            throw ApiError.notFound("no agent named '" + name + "'");
        }
        store.tokens().revoke(io.steward.nodes.AgentLink.CREDENTIAL_PREFIX + name);
        store.audit().record(Caller.of(ctx).name(), "node-revoke", name, Map.of());
        ctx.json(nodes.get(name).orElseThrow());
    }
}
