package io.steward.gateway.wire;

import java.util.List;

/** The primaries sharing this primary's database, and who holds each lease of single-owner work. */
public record ClusterView(@ApiField(description = "the id of the primary that answered") String self,
                          @ApiField(description = "a primary unseen for longer than this many milliseconds is not alive")
                          long ttlMs,
                          List<ClusterPrimary> primaries, List<ClusterLease> leases) {
}
