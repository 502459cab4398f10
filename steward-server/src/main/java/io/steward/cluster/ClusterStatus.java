package io.steward.cluster;

import io.steward.store.LeaseRecord;
import io.steward.store.PrimaryRecord;

import java.util.List;

/**
 * What {@code GET /api/v1/cluster} shows: the primaries sharing the database and who holds each lease.
 *
 * @param self      the id of the primary that answered
 * @param ttl       the TTL "alive" was judged by, in milliseconds
 * @param primaries every primary with a row
 * @param leases    every lease row
 */
public record ClusterStatus(String self, long ttl, List<PrimaryRecord> primaries, List<LeaseRecord> leases) {
}
