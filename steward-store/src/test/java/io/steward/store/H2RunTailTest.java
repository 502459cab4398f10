package io.steward.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tail on H2: two stores on one embedded file in this JVM. H2 has no notifications, so the tail polls
 * ({@link RunTail#POLL}); nothing listens.
 */
class H2RunTailTest extends RunTailContractTest {
    @TempDir
    Path dir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dir).jdbcUrl("jdbc:h2:file:" + dir.resolve("shared").toAbsolutePath());
    }

    @Test
    void nothingListensOnH2() {
        here.tail().listen(new RunTail.Listener() {
            @Override
            public void runsChanged(java.util.Set<String> runIds) {
            }

            @Override
            public void missed() {
            }
        });
        assertThat(here.tail().listening()).isFalse();
    }
}
