package io.steward.gateway.wire;

import io.steward.store.PrimaryRecord;

import java.util.List;
import java.util.Set;

/** One primary sharing the database, as its row says (times by the database's clock). */
public record ClusterPrimary(@ApiField(description = "its id, kept in primary.id in its data folder") String id,
                             @ApiField(nullable = true, description = "the URL its API answers on") String url,
                             @ApiField(format = "date-time") String started,
                             @ApiField(format = "date-time", description = "when it last refreshed its row") String seenAt,
                             @ApiField(description = "refreshed within the TTL") boolean alive,
                             @ApiField(description = "for a live primary, the agents linked to it at its last "
                                     + "refresh; for a dead one, those it had that no live primary has now (they did "
                                     + "not fail over)") ClusterAgents agents) {
    /** @param linkedToTheLiving the agents the live primaries list, left out of a dead primary's */
    public static ClusterPrimary of(PrimaryRecord p, Set<String> linkedToTheLiving) {
        List<String> names = p.alive() ? p.agentNames()
                : p.agentNames().stream().filter(n -> !linkedToTheLiving.contains(n)).toList();
        return new ClusterPrimary(p.id(), p.url(), p.startedAt().toString(), p.seenAt().toString(), p.alive(),
                new ClusterAgents(p.alive() ? p.agents() : names.size(), names));
    }
}
