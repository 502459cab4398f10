package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.coordinator.RunTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A spawn with extra variables gets the inherited environment with the extras merged in: an extra that names an
 * inherited variable replaces it (one entry, the new value), the other inherited variables arrive unchanged, and
 * a run's {@code STEWARD_*} variables arrive. The posix spawner builds the inherited part once and points into
 * it, so this also checks that a spawn with extras leaves that shared part as it was for the spawns after it.
 * The child is {@code env}, which prints every entry it was given, duplicates included.
 */
@Timeout(30)
@ForEachSpawner
class ExtraVariablesMergeIntoTheInheritedEnvironmentTest {
    private final LocalProcesses processes;

    ExtraVariablesMergeIntoTheInheritedEnvironmentTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    @Test
    void anExtraOverridingAnInheritedVariableAppearsOnceWithItsNewValue() throws InterruptedException {
        String inherited = anInheritedName();
        Map<String, String> extra = new LinkedHashMap<>(new RunTokens(() -> "http://127.0.0.1:7640").open("run-1"));
        extra.put(inherited, "overridden value");
        extra.put("STEWARD_TEST_NEW", "a new one");

        List<String> entries = envOf(extra);

        assertThat(entries).filteredOn(e -> e.startsWith(inherited + "=")).containsExactly(inherited + "=overridden value");
        assertThat(entries).contains("STEWARD_TEST_NEW=a new one", "STEWARD_SERVER=http://127.0.0.1:7640", "STEWARD_RUN_ID=run-1");
        assertThat(entries).filteredOn(e -> e.startsWith("STEWARD_TOKEN=")).singleElement().asString()
                .startsWith("STEWARD_TOKEN=" + RunTokens.PREFIX + "run-1.");
        assertThat(entries).as("every other inherited variable, unchanged").containsAll(inheritedEntriesExcept(inherited));
        assertThat(entries).as("nothing twice").doesNotHaveDuplicates();
    }

    @Test
    void spawnsAfterOneWithExtrasStillGetTheInheritedEnvironmentAsItWas() throws InterruptedException {
        String inherited = anInheritedName();
        envOf(Map.of(inherited, "changed for one child", "STEWARD_TEST_NEW", "x"));

        List<String> plain = envOf(Map.of());
        List<String> other = envOf(Map.of("STEWARD_TEST_OTHER", "y"));

        assertThat(plain).containsAll(inheritedEntriesExcept(null)).doesNotContain("STEWARD_TEST_NEW=x").doesNotHaveDuplicates();
        assertThat(other).contains("STEWARD_TEST_OTHER=y", inherited + "=" + System.getenv(inherited))
                .doesNotContain("STEWARD_TEST_NEW=x");
    }

    @Test
    void manySpawnsAtOnceEachGetTheirOwnExtras() throws Exception {
        List<Thread> threads = new ArrayList<>();
        Map<Integer, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    seen.put(n, envOf(Map.of("STEWARD_TEST_N", Integer.toString(n))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(seen.get(i)).filteredOn(e -> e.startsWith("STEWARD_TEST_N=")).containsExactly("STEWARD_TEST_N=" + i);
        }
    }

    private List<String> envOf(Map<String, String> extra) throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.argv(List.of("env")).withEnv(extra), "run-1", new RecordingListener()).waitFor();
        assertThat(r.exitCode()).isZero();
        return List.of(r.stdout().split("\n"));
    }

    /** An inherited variable to override: PATH is always there where processes run. */
    private static String anInheritedName() {
        assertThat(System.getenv("PATH")).isNotNull();
        return "PATH";
    }

    /** The JVM's environment as {@code env} prints it, leaving out values with line breaks (they would split). */
    private static List<String> inheritedEntriesExcept(String name) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (name != null) {
            env.remove(name);
        }
        List<String> entries = new ArrayList<>();
        env.forEach((k, v) -> {
            if (v.indexOf('\n') < 0) {
                entries.add(k + "=" + v);
            }
        });
        return entries;
    }
}
