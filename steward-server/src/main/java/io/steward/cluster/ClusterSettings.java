package io.steward.cluster;

import java.time.Duration;

/**
 * The timings of a primary among several: the lease TTL and beat of the server's config ({@code --lease-ttl},
 * {@code --lease-beat}, checked there), and the agents' grace.
 *
 * @param ttl        a primary unseen for longer is not alive; a lease not renewed for longer lapses
 * @param beat       how often a primary refreshes its row and renews its leases (well under {@code ttl})
 * @param agentGrace how long after its primary was last seen a run still waits, so that its agent can fail over
 *                   and another primary adopt it, before the LOST reaper gives it up
 */
public record ClusterSettings(Duration ttl, Duration beat, Duration agentGrace) {
    public ClusterSettings {
        if (ttl.compareTo(beat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the cluster TTL (" + ttl.toMillis() + " ms) must be at least twice the "
                    + "beat (" + beat.toMillis() + " ms), so that one late beat does not lose a lease");
        }
    }

    /** The TTL of a primary no other can join (embedded H2): its leases and row last a day. */
    public static final Duration ALONE_TTL = Duration.ofDays(1);

    /**
     * For a primary no other can join (embedded H2): it holds every lease for a day at a time, and its beat writes
     * only what changed (see Cluster#beat), so an idle primary does not commit every second.
     */
    public ClusterSettings alone(Duration beat) {
        return new ClusterSettings(ALONE_TTL, beat, agentGrace);
    }
}
