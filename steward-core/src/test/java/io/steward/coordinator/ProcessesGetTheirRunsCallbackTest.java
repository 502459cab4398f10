package io.steward.coordinator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every local process of a run gets STEWARD_SERVER, STEWARD_RUN_ID and STEWARD_TOKEN from the node's
 * {@link RunCallbacks}; the token is that run's alone and dies with it; a node without callbacks sets nothing.
 */
class ProcessesGetTheirRunsCallbackTest {
    private static final String PRINT_ENV =
            "exec(['sh', '-c', 'printf \"%s|%s|%s\" \"$STEWARD_SERVER\" \"$STEWARD_RUN_ID\" \"$STEWARD_TOKEN\"'] ,"
                    + " args.env ? [env: args.env] : [:]).stdout";

    @TempDir
    Path dir;
    Scripts scripts;

    @AfterEach
    void tearDown() {
        if (scripts != null) {
            scripts.close();
        }
    }

    @Test
    void aRunsProcessesGetItsEndpointIdAndATokenThatDiesWithTheRun() throws Exception {
        RunTokens tokens = new RunTokens(() -> "http://127.0.0.1:7640");
        scripts = new Scripts(dir, Coordinator.builder().callbacks(tokens)).write("env.groovy", PRINT_ENV);
        RunHandle run = scripts.coordinator().invoke(InvokeRequest.of("env.groovy", Map.of()));
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        String[] env = ((String) end.result()).split("\\|");
        assertThat(env[0]).isEqualTo("http://127.0.0.1:7640");
        assertThat(env[1]).isEqualTo(run.id());
        assertThat(env[2]).startsWith(RunTokens.PREFIX + run.id() + ".").hasSizeGreaterThan(50);
        assertThat(tokens.runOf(env[2])).isEmpty(); // the run has ended
        assertThat(tokens.live()).isZero();
    }

    @Test
    void aRunOpensItsCallbacksOnceAtItsFirstProcessAndARunWithoutProcessesNever() throws Exception {
        RunTokens tokens = new RunTokens(() -> "http://127.0.0.1:7640");
        java.util.List<String> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunCallbacks counting = new RunCallbacks() {
            @Override
            public Map<String, String> open(String runId) {
                opened.add(runId);
                return tokens.open(runId);
            }

            @Override
            public void close(String runId) {
                tokens.close(runId);
            }
        };
        scripts = new Scripts(dir, Coordinator.builder().callbacks(counting))
                .write("plain.groovy", "'no process'")
                .write("two.groovy", "exec(['sh', '-c', 'printf %s \"$STEWARD_TOKEN\"']).stdout == "
                        + "exec(['sh', '-c', 'printf %s \"$STEWARD_TOKEN\"']).stdout");
        RunSnapshot plain = scripts.coordinator().invoke(InvokeRequest.of("plain.groovy", Map.of())).await(Duration.ofSeconds(30));
        assertThat(plain.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(opened).isEmpty();
        RunSnapshot two = scripts.coordinator().invoke(InvokeRequest.of("two.groovy", Map.of())).await(Duration.ofSeconds(30));
        assertThat(two.result()).as("both processes got the same token").isEqualTo(true);
        assertThat(opened).containsExactly(two.id());
        assertThat(tokens.live()).isZero();
    }

    @Test
    void aJavaScriptRunsProcessesGetThemToo() throws Exception {
        scripts = new Scripts(dir, Coordinator.builder().callbacks(new RunTokens(() -> "http://127.0.0.1:7640")))
                .write("env.js", "exec(['sh', '-c', 'printf %s \"$STEWARD_RUN_ID\"']).stdout");
        RunSnapshot end = scripts.coordinator().invoke(InvokeRequest.of("env.js", Map.of())).await(Duration.ofSeconds(30));
        assertThat(end.result()).isEqualTo(end.id());
    }

    @Test
    void aTokenNamesOnlyItsOwnLiveRun() {
        RunTokens tokens = new RunTokens(() -> "http://127.0.0.1:1");
        String a = tokens.open("A").get(RunTokens.TOKEN_VARIABLE);
        String b = tokens.open("B").get(RunTokens.TOKEN_VARIABLE);
        assertThat(tokens.runOf(a)).contains("A");
        assertThat(tokens.runOf(b)).contains("B");
        String secretOfA = a.substring(a.indexOf('.') + 1);
        assertThat(tokens.runOf(RunTokens.PREFIX + "B." + secretOfA)).isEmpty();
        assertThat(tokens.runOf(a + "x")).isEmpty();
        assertThat(tokens.runOf(RunTokens.PREFIX + "A")).isEmpty();
        assertThat(tokens.runOf("stw_someone_else")).isEmpty();
        assertThat(tokens.runOf(null)).isEmpty();
        assertThat(a).isNotEqualTo(tokens.open("A").get(RunTokens.TOKEN_VARIABLE)); // reopened: a fresh secret
        tokens.close("A");
        assertThat(tokens.runOf(a)).isEmpty();
        assertThat(tokens.runOf(b)).contains("B");
    }

    @Test
    void aScriptsOwnEnvWinsAndANodeWithoutCallbacksSetsNothing() throws Exception {
        scripts = new Scripts(dir, Coordinator.builder().callbacks(new RunTokens(() -> "http://127.0.0.1:7640")))
                .write("env.groovy", PRINT_ENV);
        RunSnapshot own = scripts.coordinator().invoke(InvokeRequest.of("env.groovy",
                Map.of("env", Map.of("STEWARD_SERVER", "http://elsewhere:1")))).await(Duration.ofSeconds(30));
        assertThat((String) own.result()).startsWith("http://elsewhere:1|" + own.id() + "|stw_run_");
        scripts.close();

        scripts = new Scripts(dir).write("env.groovy", PRINT_ENV);
        RunSnapshot none = scripts.coordinator().invoke(InvokeRequest.of("env.groovy", Map.of())).await(Duration.ofSeconds(30));
        assertThat(none.result()).isEqualTo("||");
    }
}
