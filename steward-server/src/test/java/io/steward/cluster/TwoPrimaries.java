package io.steward.cluster;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Two real primaries in this JVM, each with its own data folder and HTTP port on 127.0.0.1, sharing one PostgreSQL
 * schema of their own (made here, dropped on close) and one secret key: a cluster as issue 15 describes it. Both
 * start before any run does (a primary's start marks runs left in progress LOST). Needs {@code STEWARD_TEST_PG_URL}
 * ({@code eval "$(.ci/postgres --env)"}): skipped without it locally, failing under {@code CI=true}.
 */
final class TwoPrimaries implements AutoCloseable {
    private static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    private static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    private static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");

    final TestPrimary a;
    final TestPrimary b;
    private final String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "");

    TwoPrimaries(Path dir) throws Exception {
        if (URL == null || URL.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("STEWARD_TEST_PG_URL is not set: .ci/run must start PostgreSQL (.ci/postgres)");
            }
            Assumptions.abort("no PostgreSQL: run `eval \"$(.ci/postgres --env)\"` first");
        }
        sql("CREATE SCHEMA " + schema);
        String schemaUrl = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        TestPrimary first = null;
        try {
            first = new TestPrimary(config(dir.resolve("a"), secret, schemaUrl));
            TestPrimary started = first;
            // A listens before B starts, so B's writer announces its commits from its first one.
            await().atMost(Duration.ofSeconds(10)).until(() -> started.server.store().tail().listening());
            this.b = new TestPrimary(config(dir.resolve("b"), secret, schemaUrl));
        } catch (RuntimeException | Error e) {
            if (first != null) {
                first.close();
            }
            sql("DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
        this.a = first;
    }

    private static ServerConfig config(Path data, String secret, String url) throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("secret.key"), secret + "\n");
        return ServerConfig.defaults(data).withDatabase(url, USER, PASSWORD)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20));
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            a.close();
        } finally {
            try {
                b.close();
            } finally {
                sql("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
