package io.steward.server;

import io.steward.UserHome;
import io.steward.gateway.GatewayConfig;

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
 */
public record ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, GatewayConfig gateway,
                           Duration keepFor, int keepRuns, String nodeName, Map<String, String> labels,
                           AgentSettings agents) {

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

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(dataDir, null, null, null,
                new GatewayConfig("127.0.0.1", GatewayConfig.DEFAULT_PORT, GatewayConfig.DEFAULT_MAX_BODY),
                Duration.ofDays(30), 10_000, null, Map.of(), AgentSettings.DEFAULTS);
    }

    public ServerConfig withGateway(GatewayConfig gateway) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents);
    }

    public ServerConfig withAgents(AgentSettings agents) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents);
    }

    public ServerConfig withNode(String nodeName, Map<String, String> labels) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(dataDir, url, user, password, gateway, keepFor, keepRuns, nodeName, labels, agents);
    }

    public ServerConfig withRetention(Duration keepFor, int keepRuns) {
        return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, gateway, keepFor, keepRuns, nodeName, labels, agents);
    }

    /** The default data folder: {@code ~/.steward}, under {@link UserHome} ({@code $HOME} before {@code user.home}). */
    public static Path defaultDataDir() {
        return UserHome.directory().resolve(".steward");
    }
}
