package io.steward.cluster;

import java.time.Duration;

/**
 * The timings of a primary among several.
 *
 * @param ttl        a primary unseen for longer is not alive; a lease not renewed for longer lapses
 * @param beat       how often a primary refreshes its row and renews its leases (well under {@code ttl})
 * @param agentGrace how long after its primary was last seen a run still waits, so that its agent can fail over
 *                   and another primary adopt it, before the LOST reaper gives it up
 */
public record ClusterSettings(Duration ttl, Duration beat, Duration agentGrace) {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_BEAT = Duration.ofSeconds(1);

    public ClusterSettings {
        if (ttl.compareTo(beat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the cluster TTL (" + ttl.toMillis() + " ms) must be at least twice the "
                    + "beat (" + beat.toMillis() + " ms), so that one late beat does not lose a lease");
        }
    }

    /**
     * The defaults, or what the system properties {@code steward.cluster.ttl} and {@code steward.cluster.beat}
     * (ISO-8601 durations such as {@code PT2S}) say; the grace is the agents' grace of the server's config.
     */
    public static ClusterSettings of(Duration agentGrace) {
        return new ClusterSettings(property("steward.cluster.ttl", DEFAULT_TTL),
                property("steward.cluster.beat", DEFAULT_BEAT), agentGrace);
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

    private static Duration property(String name, Duration fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT5S, not '" + value + "'");
        }
    }
}
