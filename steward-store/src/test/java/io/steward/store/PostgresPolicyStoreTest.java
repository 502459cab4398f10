package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/** The policy tables on a real PostgreSQL, set up as {@link PostgresStoreTest} does (a schema per test). */
class PostgresPolicyStoreTest extends PolicyStoreContractTest {
    private String schema;

    @BeforeAll
    static void needsPostgres() {
        if (PostgresStoreTest.URL == null || PostgresStoreTest.URL.isBlank()) {
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
        String url = PostgresStoreTest.URL;
        return StoreConfig.builder().jdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                .user(PostgresStoreTest.USER).password(PostgresStoreTest.PASSWORD).poolSize(4);
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
        try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL, PostgresStoreTest.USER,
                PostgresStoreTest.PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new AssertionError("cannot run '" + sql + "' on " + PostgresStoreTest.URL + ": " + e.getMessage(), e);
        }
    }
}
