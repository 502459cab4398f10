package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.cluster.ClusterSettings;
import io.steward.gateway.wire.ClusterLease;
import io.steward.gateway.wire.ClusterPrimary;
import io.steward.gateway.wire.ClusterView;
import io.steward.store.PrimaryRecord;
import io.steward.store.Store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.steward.gateway.Operation.op;

/**
 * {@code GET /api/v1/cluster}: the primaries on this database and the lease holders (docs/api.md, "Cluster"). Read
 * straight from the store, so every primary answers the same; "alive" is judged by the database's clock.
 */
final class ClusterRoutes {
    private final Store store;
    private final ClusterSettings settings;

    /** @param settings the running cluster's timings: what this primary judges "alive" by, and what it renews at */
    ClusterRoutes(Store store, ClusterSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/cluster", Access.VIEWER, op("server", "getCluster",
                "The primaries sharing this database, their agents, and who holds each lease")
                .describe("A primary is alive while it refreshes its row (every beat, a second by default); one that "
                        + "closed cleanly has no row. The leases: schedule (fires schedules), lost (marks LOST the runs "
                        + "of primaries that died), retention (prunes history). docs/cluster.md explains them.")
                .answers(200, ClusterView.class), this::cluster);
    }

    private void cluster(Context ctx) {
        List<PrimaryRecord> primaries = store.primaries().list(settings.ttl());
        // A dead primary's row keeps the agents it had when it last beat; those that failed over are listed under
        // their new primary, so under the dead one only the agents no live primary has are shown: the stranded ones.
        Set<String> linkedToTheLiving = new HashSet<>();
        primaries.stream().filter(PrimaryRecord::alive).forEach(p -> linkedToTheLiving.addAll(p.agentNames()));
        ctx.json(new ClusterView(store.config().primaryId(), settings.ttl().toMillis(), settings.beat().toMillis(),
                primaries.stream().map(p -> ClusterPrimary.of(p, linkedToTheLiving)).toList(),
                store.leases().list().stream().map(ClusterLease::of).toList()));
    }
}
