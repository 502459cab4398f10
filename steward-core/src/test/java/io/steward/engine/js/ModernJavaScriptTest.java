package io.steward.engine.js;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A script written the way people write JavaScript for Node (ES2015–ES2022: let/const loops, for…of over maps and
 * sets, destructuring, spread, classes with private fields, optional chaining, …) runs and gives what Node prints
 * for it. The comparison runs {@code node} itself where it is installed (under {@code CI=true} it must be).
 */
class ModernJavaScriptTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    /** The example every user finds beside the demo's scripts. */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    static String modernScript() throws IOException {
        return Files.readString(EXAMPLES.resolve("modern.js"));
    }

    @Test
    void everydayModernJavaScriptRunsAsNodeRunsIt() throws Exception {
        String source = modernScript();
        RunSnapshot run = scripts.run("modern.js", source);
        assertThat(run.state()).as("error: %s", run.error()).isEqualTo(RunState.SUCCEEDED);
        String ours = (String) run.result();
        assertThat(ours).contains("\"describe\":\"step compile (6) runs make\"").contains("\"power\":1024");
        assertThat(ours).isEqualTo(node(scripts.dir().resolve("modern.js")));
    }

    @Test
    void consoleWritesToTheRunsLog() throws Exception {
        RunSnapshot run = scripts.run("console.js", "console.log('built', 3, {ok: true}); console.error('oops')");
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(scripts.events(run.id(), "log")).extracting(e -> e.data())
                .containsExactly(Map.of("level", "info", "message", "built 3 {\"ok\":true}"),
                        Map.of("level", "error", "message", "oops"));
    }

    /** What {@code node} prints for the script's completion value. */
    static String node(Path script) throws IOException, InterruptedException {
        Path node = Stream.of("/usr/bin/node", "/usr/local/bin/node").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (node == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("node must be installed under CI (.ci/run installs nodejs)");
        }
        Assumptions.assumeTrue(node != null, "node is not installed: no comparison with Node");
        Process p = new ProcessBuilder(node.toString(), "-p",
                "eval(require('fs').readFileSync(process.argv[1], 'utf8'))", script.toString())
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        return printed;
    }
}
