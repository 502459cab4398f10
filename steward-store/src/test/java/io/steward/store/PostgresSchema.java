package io.steward.store;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A schema of its own for one test on a real PostgreSQL, named by {@code STEWARD_TEST_PG_URL} (with
 * {@code STEWARD_TEST_PG_USER} and {@code STEWARD_TEST_PG_PASSWORD}); {@code .ci/postgres --env} starts one and prints
 * them. Without the variable the PostgreSQL tests are skipped on a developer's machine, but fail under
 * {@code CI=true}: CI must never pass by silently not testing PostgreSQL.
 */
final class PostgresSchema {
    static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");

    private final String name = "t_" + UUID.randomUUID().toString().replace("-", "");

    /** For a test class's {@code @BeforeAll}: skips, or under CI fails, when there is no PostgreSQL. */
    static void required() {
        if (URL == null || URL.isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI must test the store on PostgreSQL)");
            }
            Assumptions.abort(why);
        }
    }

    /** Creates the schema. */
    PostgresSchema() {
        execute("CREATE SCHEMA " + name);
    }

    /** A store on this schema. */
    StoreConfig.Builder config() {
        return StoreConfig.builder().jdbcUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name)
                .user(USER).password(PASSWORD).poolSize(4);
    }

    void drop() {
        execute("DROP SCHEMA " + name + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new AssertionError("cannot run '" + sql + "' on " + URL + ": " + e.getMessage(), e);
        }
    }
}
