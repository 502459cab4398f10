package io.steward.server;

import io.steward.UserHome;
import io.steward.gateway.GatewayConfig;
import io.steward.store.StoreConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything {@code steward server} can be told.
 *
 * @param dataDir     holds the H2 database (unless {@code dbUrl} names another), {@code admin.token} and {@code server.url}
 * @param dbUrl       a JDBC URL ({@code jdbc:postgresql://…}), or {@code null} for the embedded H2 file
 * @param dbUser      database user for {@code dbUrl}, or {@code null}
 * @param dbPassword  database password for {@code dbUrl}, or {@code null}
 * @param keepFor     finished runs older than this are pruned
 * @param keepRuns    at most this many finished runs are kept
 * @param leases      the lease TTL and beat of this primary among others on one database
 * @param dbPool      connections to the database this primary keeps at most (at least 2)
 */
public record ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, GatewayConfig gateway,
                           Duration keepFor, int keepRuns, String nodeName, Map<String, String> labels,
                           AgentSettings agents, LeaseSettings leases, int dbPool) {

    /** With the default pool size. */
    public ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, GatewayConfig gateway,
                        Duration keepFor, int keepRuns, String nodeName, Map<String, String> labels, AgentSettings agents,
                        LeaseSettings leases) {
        this(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases,
                StoreConfig.DEFAULT_POOL_SIZE);
    }

    /** With the lease timings of {@link LeaseSettings#fromProperties()}. */
    public ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, GatewayConfig gateway,
                        Duration keepFor, int keepRuns, String nodeName, Map<String, String> labels, AgentSettings agents) {
        this(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents,
                LeaseSettings.fromProperties());
    }

    /**
     * How the primary treats its agents.
     *
     * @param grace           an agent unheard for longer is gone, and its unfinished runs LOST
     * @param pollInterval    how often every agent is polled for the status of its runs
     * @param heartbeat       how often agents and primary beat
     * @param requireApproval new agents wait as pending until {@code steward node approve}
     */
    public record AgentSettings(Duration grace, Duration pollInterval, Duration heartbeat, boolean requireApproval) {
        public static final AgentSettings DEFAULTS = new AgentSettings(Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(10), false);
    }

    /**
     * How long a lease (and a primary's liveness) lasts without renewal, and how often it is renewed. Every primary of
     * a cluster must use the same values: a primary with a longer TTL would count the others dead too late, one with a
     * shorter TTL too early.
     *
     * @param ttl  a primary unseen for longer is not alive; a lease not renewed for longer lapses, and another primary
     *             takes it at its next beat
     * @param beat how often a primary renews its leases and refreshes its row: less than half the TTL, so that one late
     *             beat does not lose a lease
     */
    public record LeaseSettings(Duration ttl, Duration beat) {
        public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
        public static final Duration DEFAULT_BEAT = Duration.ofSeconds(1);
        public static final LeaseSettings DEFAULTS = new LeaseSettings(DEFAULT_TTL, DEFAULT_BEAT);

        public LeaseSettings {
            if (ttl.isNegative() || ttl.isZero() || beat.isNegative() || beat.isZero()) {
                throw new IllegalArgumentException("the lease TTL and beat must be more than 0 (ttl " + ttl.toMillis()
                        + " ms, beat " + beat.toMillis() + " ms)");
            }
            if (beat.multipliedBy(2).compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("the lease beat (" + beat.toMillis() + " ms) must be less than half "
                        + "the lease TTL (" + ttl.toMillis() + " ms), so that one late beat does not lose a lease");
            }
        }

        /**
         * The defaults, or what the system properties {@code steward.cluster.ttl} and {@code steward.cluster.beat}
         * (ISO-8601 durations such as {@code PT2S}) say: for tests that start several primaries in one JVM.
         */
        public static LeaseSettings fromProperties() {
            return new LeaseSettings(property("steward.cluster.ttl", DEFAULT_TTL), property("steward.cluster.beat",
                    DEFAULT_BEAT));
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

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(dataDir, null, null, null,
                new GatewayConfig("127.0.0.1", GatewayConfig.DEFAULT_PORT, GatewayConfig.DEFAULT_MAX_BODY),
                Duration.ofDays(30), 10_000, null, Map.of(), AgentSettings.DEFAULTS);
    }

    public ServerConfig withGateway(GatewayConfig gateway) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withAgents(AgentSettings agents) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withLeases(LeaseSettings leases) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withNode(String nodeName, Map<String, String> labels) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(dataDir, url, user, password, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withDatabasePool(int dbPool) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    public ServerConfig withRetention(Duration keepFor, int keepRuns) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents, leases, dbPool);
    }

    /** The default data folder: {@code ~/.steward}, under {@link UserHome} ({@code $HOME} before {@code user.home}). */
    public static Path defaultDataDir() {
        return UserHome.directory().resolve(".steward");
    }
}
