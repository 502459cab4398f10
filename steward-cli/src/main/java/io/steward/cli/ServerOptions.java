package io.steward.cli;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.store.StoreConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options that configure a primary, shared by {@code steward server} and {@code steward demo}. */
final class ServerOptions {
    /** A pool over this is a typo: PostgreSQL allows 100 connections in all by default. */
    private static final int MAX_DB_POOL = 500;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = GatewayConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 opens it).")
    String bind = "127.0.0.1";

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder: database, admin.token, server.url (default $STEWARD_DATA, else ~/.steward).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Use this database instead of the embedded H2 file, e.g. jdbc:postgresql://host/steward.")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user for --db.")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", defaultValue = "STEWARD_DB_PASSWORD",
            description = "Environment variable holding the database password (default ${DEFAULT-VALUE}).")
    String dbPasswordEnv;

    @Option(names = "--db-pool", paramLabel = "N", description = "Connections to the database this primary keeps at "
            + "most (default ${DEFAULT-VALUE}). More lets more requests and agents' frames reach the store at once; "
            + "every primary takes this many of the database's max_connections.")
    int dbPool = StoreConfig.DEFAULT_POOL_SIZE;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Largest request body accepted (default 2 MiB).")
    long maxBody = GatewayConfig.DEFAULT_MAX_BODY;

    @picocli.CommandLine.Mixin
    LimitOptions limits = new LimitOptions();

    @Option(names = "--keep-days", paramLabel = "DAYS", description = "Prune finished runs older than this (default ${DEFAULT-VALUE}).")
    int keepDays = 30;

    @Option(names = "--keep-runs", paramLabel = "N", description = "Keep at most this many finished runs (default ${DEFAULT-VALUE}).")
    int keepRuns = 10_000;

    @Option(names = "--name", paramLabel = "NODE", description = "This node's name (default: the host name).")
    String name;

    @Option(names = "--labels", paramLabel = "K=V", split = ",", description = "This node's labels, e.g. role=primary,env=lab.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--agent-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "An agent unheard for longer is gone and its unfinished runs LOST (default 60s).")
    Duration agentGrace = Duration.ofSeconds(60);

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often every agent is polled for the status of its runs (default 5s).")
    Duration pollInterval = Duration.ofSeconds(5);

    @Option(names = "--agent-heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often agents beat; an agent takes a primary silent for three beats for gone (default 10s).")
    Duration agentHeartbeat = ServerConfig.AgentSettings.DEFAULTS.heartbeat();

    @Option(names = "--lease-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With several primaries on one database: a primary unseen for longer is dead and its leases "
                    + "(schedules, LOST runs, retention) go to another (default 5s). The same on every primary.")
    Duration leaseTtl;

    @Option(names = "--lease-beat", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often a primary renews its leases; less than half --lease-ttl (default 1s, or a fifth "
                    + "of --lease-ttl when that is shorter).")
    Duration leaseBeat;

    @Option(names = "--require-approval", description = "New agents wait as pending until 'steward node approve NAME'.")
    boolean requireApproval;

    /** The config these options give; {@code env} supplies {@code STEWARD_DATA}, as for every other command. */
    ServerConfig config(Environment env) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, not " + port);
        }
        if (keepDays < 1 || keepRuns < 1) {
            throw new IllegalArgumentException("--keep-days and --keep-runs must be 1 or more");
        }
        if (dbPool < 2 || dbPool > MAX_DB_POOL) {
            throw new IllegalArgumentException("--db-pool must be from 2 to " + MAX_DB_POOL + ", not " + dbPool
                    + ": the store writer holds one connection and readers need at least one more");
        }
        Path dataDir = data != null ? data
                : env.get("STEWARD_DATA") != null ? Path.of(env.get("STEWARD_DATA")) : env.home().resolve(".steward");
        return new ServerConfig(dataDir.toAbsolutePath(), db, dbUser, db == null ? null : System.getenv(dbPasswordEnv),
                new GatewayConfig(bind, port, maxBody, limits.limits()), Duration.ofDays(keepDays), keepRuns, name, labels,
                new ServerConfig.AgentSettings(agentGrace, pollInterval, agentHeartbeat, requireApproval), leases(), dbPool);
    }

    /**
     * The lease timings of the options. A TTL given alone brings a beat that fits it, so that {@code --lease-ttl 2s}
     * needs no {@code --lease-beat}; a pair that does not fit is refused naming both options.
     */
    private ServerConfig.LeaseSettings leases() {
        Duration ttl = leaseTtl != null ? leaseTtl : ServerConfig.LeaseSettings.DEFAULT_TTL;
        Duration beat = leaseBeat;
        if (beat == null) {
            Duration fifth = ttl.dividedBy(5);
            beat = fifth.compareTo(ServerConfig.LeaseSettings.DEFAULT_BEAT) < 0 ? fifth : ServerConfig.LeaseSettings.DEFAULT_BEAT;
        }
        if (ttl.compareTo(Duration.ofMillis(500)) < 0) {
            throw new IllegalArgumentException("--lease-ttl must be 500ms or more, not " + ttl.toMillis() + "ms: "
                    + "a primary must get its renewal through the database well within it");
        }
        if (beat.isZero() || beat.isNegative() || beat.multipliedBy(2).compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("--lease-beat (" + beat.toMillis() + "ms) must be more than 0 and less than "
                    + "half --lease-ttl (" + ttl.toMillis() + "ms), so that one late beat does not lose a lease: give a "
                    + "shorter --lease-beat or a longer --lease-ttl");
        }
        return new ServerConfig.LeaseSettings(ttl, beat);
    }
}
