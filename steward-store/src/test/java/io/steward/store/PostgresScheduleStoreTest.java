package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The schedule store's contract on a real PostgreSQL, found as {@link PostgresStoreTest} finds it (skipped without
 * {@code STEWARD_TEST_PG_URL} locally, failing under {@code CI=true}); a schema of its own per test.
 */
class PostgresScheduleStoreTest extends ScheduleStoreContractTest {
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
