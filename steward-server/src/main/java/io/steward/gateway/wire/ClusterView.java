package io.steward.gateway.wire;

import java.util.List;

/** The primaries sharing this primary's database, and who holds each lease of single-owner work. */
public record ClusterView(@ApiField(description = "the id of the primary that answered") String self,
                          @ApiField(description = "a primary unseen for longer than this many milliseconds is not alive, and a "
                                  + "lease not renewed for as long lapses (--lease-ttl; a day for a primary alone on H2)")
                          long ttlMs,
                          @ApiField(description = "how often each primary renews its leases and refreshes its row, in "
                                  + "milliseconds (--lease-beat)")
                          long beatMs,
                          List<ClusterPrimary> primaries, List<ClusterLease> leases) {
}
