package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The policy tables on a real PostgreSQL, set up as {@link PostgresStoreTest} does (a schema per test). */
class PostgresPolicyStoreTest extends PolicyStoreContractTest {
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
