package io.steward.process;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every test of the class once per {@link Spawner}; the class takes the spawner's name in its constructor
 * and builds its registry with {@link Registry#of(String)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "spawner {0}")
@ValueSource(strings = {"posix", "jdk"})
@interface ForEachSpawner {

    /** Builds the registries. */
    final class Registry {
        private Registry() {
        }

        /** A registry on the named spawner; the tests are skipped where the posix one cannot load. */
        static LocalProcesses of(String spawner) {
            if (spawner.equals("posix")) {
                org.junit.jupiter.api.Assumptions.assumeTrue(PosixSpawner.available(),
                        () -> "posix_spawn cannot load here: " + PosixSpawner.unavailableReason());
            }
            return new LocalProcesses(Spawner.byName(spawner));
        }
    }
}
