package io.steward.cluster;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Primaries in this JVM on one PostgreSQL schema of their own ({@link SharedPostgres}, one per test), each with a data
 * folder under one temporary folder and the first one's secret key, as the primaries of one cluster share theirs.
 * Registered as a static {@code @RegisterExtension} field: for the test class their leases last the TTL given and are
 * renewed every half second; their agents' grace is a second, so that the LOST reaper gives a silent primary's runs
 * up within a test. After each test every primary started is stopped, last first, and the schema dropped.
 */
final class PrimariesOnOneDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Duration ttl;
    private Path dir;
    private SharedPostgres db;
    private final List<TestPrimary> started = new ArrayList<>();
    private String firstName;

    PrimariesOnOneDatabase(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedPostgres.required();
        System.setProperty("steward.cluster.ttl", ttl.toString());
        System.setProperty("steward.cluster.beat", "PT0.5S");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("steward.cluster.ttl");
        System.clearProperty("steward.cluster.beat");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("steward-primaries");
        db = new SharedPostgres();
        firstName = null;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        started.reversed().forEach(TestPrimary::close);
        started.clear();
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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
}
