package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.cluster.ClusterSettings;
import io.steward.gateway.wire.ClusterLease;
import io.steward.gateway.wire.ClusterPrimary;
import io.steward.gateway.wire.ClusterView;
import io.steward.store.Store;

import java.time.Duration;

import static io.steward.gateway.Operation.op;

/**
 * {@code GET /api/v1/cluster}: the primaries on this database and the lease holders (docs/api.md, "Cluster"). Read
 * straight from the store, so every primary answers the same; "alive" is judged by the database's clock.
 */
final class ClusterRoutes {
    private final Store store;
    private final Duration ttl;

    ClusterRoutes(Store store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/cluster", Access.VIEWER, op("server", "getCluster",
                "The primaries sharing this database, their agents, and who holds each lease")
                .describe("A primary is alive while it refreshes its row (every second); one that closed cleanly has "
                        + "no row. The leases: schedule (fires schedules), lost (marks LOST the runs of primaries that "
                        + "died), retention (prunes history). docs/cluster.md explains them.")
                .answers(200, ClusterView.class), this::cluster);
    }

    private void cluster(Context ctx) {
        ctx.json(new ClusterView(store.config().primaryId(), ttl.toMillis(),
                store.primaries().list(ttl).stream().map(ClusterPrimary::of).toList(),
                store.leases().list().stream().map(ClusterLease::of).toList()));
    }

    /** With the TTL the cluster of this process uses. */
    static ClusterRoutes of(Store store) {
        return new ClusterRoutes(store, store.sharedByPrimaries() ? ClusterSettings.of(Duration.ZERO).ttl()
                : ClusterSettings.ALONE_TTL);
    }
}
