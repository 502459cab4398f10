/**
 * Several primaries on one database (issue 15): each primary's row in {@code primaries} ({@link
 * io.steward.cluster.PrimaryHeartbeat}), the leases of single-owner work ({@link io.steward.cluster.Leases}: firing
 * schedules, reaping the runs of dead primaries, pruning history; {@link io.steward.cluster.LostRunReaper}).
 * {@link io.steward.cluster.Cluster} ties them to a running primary; {@code GET /api/v1/cluster} shows them. One
 * primary alone holds every lease from its first moment, so a single primary works as it always did.
 */
package io.steward.cluster;
