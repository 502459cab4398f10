package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Run statistics on a real PostgreSQL, set up as {@link PostgresStoreTest} does (a schema per test). */
class PostgresRunStatisticsTest extends RunStatisticsContractTest {
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
