package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL, named by {@code STEWARD_TEST_PG_URL} (with {@code STEWARD_TEST_PG_USER}
 * and {@code STEWARD_TEST_PG_PASSWORD}); {@code .ci/postgres --env} starts one and prints them. Each test gets a
 * schema of its own, dropped afterwards. Without the variable the suite is skipped on a developer's machine, but
 * fails under {@code CI=true}: CI must never pass by silently not testing PostgreSQL.
 */
class PostgresStoreTest extends StoreContractTest {
    private PostgresSchema schema;

    @BeforeAll
    static void needsPostgres() {
        PostgresSchema.required();
    }

    @Override
    StoreConfig.Builder database() {
        schema = new PostgresSchema();
        return schema.config();
    }

    @AfterEach
    void dropSchema() {
        closeStore();
        store = null;
        if (schema != null) {
            schema.drop();
        }
    }
}
