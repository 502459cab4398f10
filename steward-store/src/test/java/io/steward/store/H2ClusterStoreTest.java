package io.steward.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The shared rows of several primaries on the embedded default: an H2 file in a fresh data directory. */
class H2ClusterStoreTest extends ClusterStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dataDir);
    }
}
