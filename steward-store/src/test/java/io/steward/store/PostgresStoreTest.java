package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The store contract on a real PostgreSQL, named by {@code STEWARD_TEST_PG_URL} (with {@code STEWARD_TEST_PG_USER}
 * and {@code STEWARD_TEST_PG_PASSWORD}); {@code .ci/postgres --env} starts one and prints them. Each test gets a
 * schema of its own, dropped afterwards. Without the variable the suite is skipped on a developer's machine, but
 * fails under {@code CI=true}: CI must never pass by silently not testing PostgreSQL.
 */
class PostgresStoreTest extends StoreContractTest {
    static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");

    private String schema;

    @BeforeAll
    static void needsPostgres() {
        if (URL == null || URL.isBlank()) {
            String why = "STEWARD_TEST_PG_URL is not set: run `eval \"$(.ci/postgres --env)\"` first";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI must test the store on PostgreSQL)");
            }
            Assumptions.abort(why);
        }
    }

    @Override
    StoreConfig.Builder database() {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return StoreConfig.builder().jdbcUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                .user(USER).password(PASSWORD).poolSize(4);
    }

    @AfterEach
    void dropSchema() {
        closeStore();
        store = null;
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new AssertionError("cannot run '" + sql + "' on " + URL + ": " + e.getMessage(), e);
        }
    }
}
