package io.steward.cluster;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Primaries in this JVM on one PostgreSQL schema of their own ({@link SharedPostgres}), each with a data folder under
 * one test folder and the first one's secret key, as the primaries of one cluster share theirs. Their leases are as
 * short as {@link #shortLeases} set them; their agents' grace is a second, so that the LOST reaper gives a silent
 * primary's runs up within a test. Closing stops every primary started, last first, and drops the schema.
 */
final class PrimariesOnOneDatabase implements AutoCloseable {
    private final Path dir;
    private final SharedPostgres db = new SharedPostgres();
    private final List<TestPrimary> started = new ArrayList<>();
    private String firstName;

    PrimariesOnOneDatabase(Path dir) {
        this.dir = dir;
    }

    /** Leases of {@code ttl}, renewed every half second, for every primary started until {@link #defaultLeases}. */
    static void shortLeases(Duration ttl) {
        SharedPostgres.required();
        System.setProperty("steward.cluster.ttl", ttl.toString());
        System.setProperty("steward.cluster.beat", "PT0.5S");
    }

    static void defaultLeases() {
        System.clearProperty("steward.cluster.ttl");
        System.clearProperty("steward.cluster.beat");
    }

    /** Starts primary {@code name} (node {@code primary-NAME}) on its data folder: again, if it ran before. */
    TestPrimary primary(String name) throws IOException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        if (firstName == null) {
            firstName = name;
        } else if (!Files.exists(data.resolve("secret.key"))) {
            // Several primaries on one database seal secret args with one key.
            Files.copy(dir.resolve(firstName).resolve("secret.key"), data.resolve("secret.key"));
        }
        TestPrimary p = new TestPrimary(ServerConfig.defaults(data).withDatabase(db.url(), SharedPostgres.USER,
                        SharedPostgres.PASSWORD).withGateway(new GatewayConfig("127.0.0.1", 0, 64 * 1024))
                .withNode("primary-" + name, Map.of()).withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), false)));
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        started.reversed().forEach(TestPrimary::close);
        db.close();
    }
}
