package io.steward.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with their access and their {@link Operation}, and remembers them so that the OpenAPI document
 * is generated from the same table the server runs: the two cannot drift apart.
 */
final class RouteTable {
    record Route(String method, String path, Access access, Operation op) {
    }

    private final JavalinConfig config;
    private final List<Route> routes = new ArrayList<>();

    RouteTable(JavalinConfig config) {
        this.config = config;
    }

    void get(String path, Access access, Operation op, Handler handler) {
        routes.add(new Route("get", path, access, op));
        config.routes.get(path, handler, access);
    }

    void post(String path, Access access, Operation op, Handler handler) {
        routes.add(new Route("post", path, access, op));
        config.routes.post(path, handler, access);
    }

    void put(String path, Access access, Operation op, Handler handler) {
        routes.add(new Route("put", path, access, op));
        config.routes.put(path, handler, access);
    }

    void delete(String path, Access access, Operation op, Handler handler) {
        routes.add(new Route("delete", path, access, op));
        config.routes.delete(path, handler, access);
    }

    /**
     * Documents a path that is served elsewhere without registering it: a suffix an earlier route dispatches on,
     * or the agent link's WebSocket, which its own component registers.
     */
    void document(String method, String path, Access access, Operation op) {
        routes.add(new Route(method, path, access, op));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}
