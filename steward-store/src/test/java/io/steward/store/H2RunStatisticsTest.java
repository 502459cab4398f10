package io.steward.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Run statistics on the embedded default: an H2 file in a fresh data directory. */
class H2RunStatisticsTest extends RunStatisticsContractTest {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dataDir);
    }
}
