package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.NodeInfo;
import io.steward.gateway.wire.Health;
import io.steward.gateway.wire.Node;
import io.steward.gateway.wire.NodeList;
import io.steward.gateway.wire.ServerInfo;
import io.steward.nodes.Nodes;
import io.steward.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.steward.gateway.Operation.op;

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
        routes.get("/health", Access.PUBLIC, op("server", "getHealth", "Liveness, without authentication")
                .answers(200, Health.class), this::health);
        routes.get("/api/v1/openapi.json", Access.PUBLIC, op("server", "getOpenApi", "This API as OpenAPI 3.1")
                .answersOther(200, "application/json", "this document"), this::openApi);
        routes.get("/api/v1/server", Access.VIEWER, op("server", "getServer",
                "The primary's node info, uptime and run counts").answers(200, ServerInfo.class), this::server);
        routes.get("/api/v1/nodes", Access.VIEWER, op("nodes", "listNodes", "Every node with its state, labels and info")
                .answers(200, NodeList.class), this::nodes);
        routes.get("/api/v1/nodes/{name}", Access.VIEWER, op("nodes", "getNode", "One node")
                .answers(200, Node.class), this::node);
        routes.post("/api/v1/nodes/{name}/approve", Access.ADMIN, op("nodes", "approveNode",
                "Let a pending agent run things").answers(200, Node.class).errors(409), this::approve);
        routes.post("/api/v1/nodes/{name}/revoke", Access.ADMIN, op("nodes", "revokeNode",
                "Revoke an agent: its credential dies, its link closes").answers(200, Node.class), this::revoke);
    }

    private void health(Context ctx) {
        ctx.json(Health.ok());
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
        ctx.json(ServerInfo.of(info));
    }

    private void nodes(Context ctx) {
        ctx.json(new NodeList(nodes.list().stream().map(Node::of).toList()));
    }

    private void node(Context ctx) {
        String name = ctx.pathParam("name");
        ctx.json(Node.of(nodes.get(name).orElseThrow(() -> ApiError.notFound("no node named '" + name + "'"))));
    }

    private void approve(Context ctx) {
        String name = ctx.pathParam("name");
        if (!nodes.approve(name)) {
            throw nodes.get(name).isEmpty() ? ApiError.notFound("no node named '" + name + "'")
                    : ApiError.conflict("the node '" + name + "' is not pending approval");
        }
        store.audit().record(Caller.of(ctx).name(), "node-approve", name, Map.of());
        ctx.json(Node.of(nodes.get(name).orElseThrow()));
    }

    private void revoke(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.equals(nodes.primaryName()) || !nodes.revoke(name)) {
            throw ApiError.notFound("no agent named '" + name + "'");
        }
        store.tokens().revoke(io.steward.nodes.AgentLink.CREDENTIAL_PREFIX + name);
        store.audit().record(Caller.of(ctx).name(), "node-revoke", name, Map.of());
        ctx.json(Node.of(nodes.get(name).orElseThrow()));
    }
}
