package io.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk reserve beside an H2 file: taken while there is room, given back and new runs refused when there is not. */
class DiskGuardTest {
    @TempDir
    Path dir;

    @Test
    void withRoomTheReserveIsTakenAndNewRunsPass() throws Exception {
        DiskGuard guard = DiskGuard.of("jdbc:h2:file:" + dir.resolve("steward") + ";WRITE_DELAY=0", 1 << 20);
        guard.checkRoomForNewRun();
        assertThat(guard.low()).isFalse();
        assertThat(Files.size(dir.resolve(DiskGuard.RESERVE_FILE))).as("real bytes, not a promise").isEqualTo(1 << 20);
    }

    @Test
    void withLessRoomThanTheReserveNewRunsAreRefusedNamingTheFolder() {
        // More than any disk here has free: the guard is low from the start.
        DiskGuard guard = DiskGuard.of("jdbc:h2:file:" + dir.resolve("steward"), Long.MAX_VALUE / 4);
        assertThat(guard.low()).isTrue();
        assertThat(dir.resolve(DiskGuard.RESERVE_FILE)).doesNotExist();
        assertThatThrownBy(guard::checkRoomForNewRun).isInstanceOf(StoreException.class)
                .hasMessageContaining("nearly full").hasMessageContaining(dir.toString()).hasMessageContaining("free some space");
    }

    @Test
    void otherDatabasesAreNotGuarded() {
        assertThat(DiskGuard.of("jdbc:postgresql://127.0.0.1/steward", 1 << 20)).isSameAs(DiskGuard.NONE);
        assertThat(DiskGuard.of("jdbc:h2:mem:x", 1 << 20)).isSameAs(DiskGuard.NONE);
    }
}
