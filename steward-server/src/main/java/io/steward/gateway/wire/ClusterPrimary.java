package io.steward.gateway.wire;

import io.steward.store.PrimaryRecord;

/** One primary sharing the database, as its row says (times by the database's clock). */
public record ClusterPrimary(@ApiField(description = "its id, kept in primary.id in its data folder") String id,
                             @ApiField(nullable = true, description = "the URL its API answers on") String url,
                             @ApiField(format = "date-time") String started,
                             @ApiField(format = "date-time", description = "when it last refreshed its row") String seenAt,
                             @ApiField(description = "refreshed within the TTL") boolean alive,
                             ClusterAgents agents) {
    public static ClusterPrimary of(PrimaryRecord p) {
        return new ClusterPrimary(p.id(), p.url(), p.startedAt().toString(), p.seenAt().toString(), p.alive(),
                new ClusterAgents(p.agents(), p.agentNames()));
    }
}
