package io.steward.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with their access and a one-line summary, and remembers them so that the OpenAPI document is
 * generated from the same table the server runs: the two cannot drift apart.
 */
final class RouteTable {
    record Route(String method, String path, Access access, String summary) {
    }

    private final JavalinConfig config;
    private final List<Route> routes = new ArrayList<>();

    RouteTable(JavalinConfig config) {
        this.config = config;
    }

    void get(String path, Access access, String summary, Handler handler) {
        routes.add(new Route("get", path, access, summary));
        config.routes.get(path, handler, access);
    }

    void post(String path, Access access, String summary, Handler handler) {
        routes.add(new Route("post", path, access, summary));
        config.routes.post(path, handler, access);
    }

    void put(String path, Access access, String summary, Handler handler) {
        routes.add(new Route("put", path, access, summary));
        config.routes.put(path, handler, access);
    }

    void delete(String path, Access access, String summary, Handler handler) {
        routes.add(new Route("delete", path, access, summary));
        config.routes.delete(path, handler, access);
    }

    /** Documents a path that an earlier route serves (a suffix it dispatches on) without registering it again. */
    void document(String method, String path, Access access, String summary) {
        routes.add(new Route(method, path, access, summary));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}
