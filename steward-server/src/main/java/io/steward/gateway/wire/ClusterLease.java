package io.steward.gateway.wire;

import io.steward.store.LeaseRecord;

/** A lease of single-owner work: schedule (fires schedules), lost (reaps runs of dead primaries), retention. */
public record ClusterLease(String name, @ApiField(description = "the id of the primary holding it") String holder,
                           @ApiField(format = "date-time", description = "when it lapses unless renewed") String expiresAt,
                           @ApiField(description = "it lapsed: any primary may take it") boolean expired) {
    public static ClusterLease of(LeaseRecord l) {
        return new ClusterLease(l.name(), l.holder(), l.expiresAt().toString(), l.expired());
    }
}
