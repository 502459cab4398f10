package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.metrics.ServerMetrics;

import static io.steward.gateway.Operation.op;

/** {@code GET /metrics}: the primary's meters for Prometheus, behind a viewer token like every other read. */
final class MetricsRoutes {
    static final String PATH = "/metrics";
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;

    MetricsRoutes(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.get(PATH, Access.VIEWER, op("server", "getMetrics", "Metrics in the Prometheus text format")
                .answersOther(200, "text/plain", "Prometheus text format 0.0.4: runs by state, events stored, agents "
                        + "connected, link reconnects, poll latency, queue depths, dropped events, limit refusals by "
                        + "kind, HTTP requests; docs/metrics.md lists every meter")
                .describe("Prometheus sends the token as `Authorization: Bearer` (`authorization.credentials_file` "
                        + "in its scrape config)."), this::scrape);
    }

    private void scrape(Context ctx) {
        ctx.contentType(TEXT_FORMAT).result(metrics.scrape());
    }
}
