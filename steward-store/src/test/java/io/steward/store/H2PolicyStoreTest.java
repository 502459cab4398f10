package io.steward.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The policy tables on the embedded default: an H2 file in a fresh data directory. */
class H2PolicyStoreTest extends PolicyStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dataDir);
    }
}
