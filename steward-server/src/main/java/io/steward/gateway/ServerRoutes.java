package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.NodeInfo;
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
    private final RouteTable table;

    ServerRoutes(Coordinator coordinator, Store store, RouteTable table) {
        this.coordinator = coordinator;
        this.store = store;
        this.table = table;
    }

    void register(RouteTable routes) {
        routes.get("/health", Access.PUBLIC, "Liveness, without authentication", this::health);
        routes.get("/api/v1/openapi.json", Access.PUBLIC, "This API as OpenAPI 3.1", this::openApi);
        routes.get("/api/v1/server", Access.VIEWER, "The primary's node info, uptime and run counts", this::server);
        routes.get("/api/v1/nodes", Access.VIEWER, "Every node with its state, labels and info", this::nodes);
        routes.get("/api/v1/nodes/{name}", Access.VIEWER, "One node", this::node);
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

    private Map<String, Object> primary() {
        NodeInfo node = coordinator.node();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", node.name());
        view.put("state", "online");
        view.put("labels", node.labels());
        view.put("lastSeen", Instant.now().toString());
        view.put("primary", true);
        view.put("info", node.toMap());
        return view;
    }

    private void nodes(Context ctx) {
        ctx.json(Map.of("nodes", List.of(primary())));
    }

    private void node(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.equals(coordinator.node().name())) {
            throw ApiError.notFound("no node named '" + name + "'");
        }
        ctx.json(primary());
    }
}
