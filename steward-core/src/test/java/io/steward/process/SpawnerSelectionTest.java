package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The native spawner where it loads, the JDK's on request or elsewhere; a wrong name is refused, not guessed. */
class SpawnerSelectionTest {

    @Test
    void autoPicksPosixSpawnWhereItLoads() {
        assumeTrue(PosixSpawner.available(), "posix_spawn cannot load here");

        assertThat(Spawner.byName("auto").name()).isEqualTo("posix");
        assertThat(new LocalProcesses().spawner()).isEqualTo("posix");
    }

    @Test
    void jdkIsTakenWhenAskedFor() {
        assertThat(Spawner.byName("jdk").name()).isEqualTo("jdk");
        assertThat(LocalProcesses.withSpawner("jdk").spawner()).isEqualTo("jdk");
    }

    @Test
    void theSystemPropertyOverridesTheChoice() {
        String before = System.getProperty(Spawner.PROPERTY);
        System.setProperty(Spawner.PROPERTY, "jdk");
        try {
            assertThat(Spawner.select().name()).isEqualTo("jdk");
        } finally {
            if (before == null) {
                System.clearProperty(Spawner.PROPERTY);
            } else {
                System.setProperty(Spawner.PROPERTY, before);
            }
        }
    }

    @Test
    void anUnknownNameIsRefused() {
        assertThatThrownBy(() -> Spawner.byName("vfork"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Spawner.PROPERTY)
                .hasMessageContaining("vfork");
    }
}
