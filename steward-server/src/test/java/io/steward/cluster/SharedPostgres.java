package io.steward.cluster;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL schema of its own for one test of several primaries, on the database named by {@code
 * STEWARD_TEST_PG_URL} ({@code .ci/postgres --env}); skipped without it locally, failing under {@code CI=true}.
 */
final class SharedPostgres implements AutoCloseable {
    static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");

    private final String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "");

    static void required() {
        if (URL == null || URL.isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI must test several primaries on PostgreSQL)");
            }
            Assumptions.abort(why);
        }
    }

    SharedPostgres() {
        execute("CREATE SCHEMA " + schema);
    }

    /** The JDBC URL every primary of the test uses. */
    String url() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public void close() {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new AssertionError("cannot run '" + sql + "' on " + URL + ": " + e.getMessage(), e);
        }
    }
}
