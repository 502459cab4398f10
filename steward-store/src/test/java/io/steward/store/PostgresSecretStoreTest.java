package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Sealed secret args on a real PostgreSQL, with the key given as several primaries sharing it would be. */
class PostgresSecretStoreTest extends SecretStoreContractTest {
    private PostgresSchema schema;

    @BeforeAll
    static void needsPostgres() {
        PostgresSchema.required();
    }

    @Override
    StoreConfig.Builder database() {
        schema = new PostgresSchema();
        return schema.config().secretKey(newKey());
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
