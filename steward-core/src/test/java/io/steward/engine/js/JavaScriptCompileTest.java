package io.steward.engine.js;

import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A script is parsed once, syntax errors and all, and the parse serves every run, concurrently. */
class JavaScriptCompileTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void theLanguageIsFoundByItsExtension() {
        assertThat(scripts.coordinator().engine().extensions()).contains(".js", ".groovy");
        assertThat(scripts.coordinator().engine().languageOf("a/b.js").id()).isEqualTo("javascript");
    }

    @Test
    void aSyntaxErrorIsFoundWhenTheScriptCompilesNotWhenItRuns() {
        assertThatThrownBy(() -> new JavaScriptLanguage().compile(new ScriptText("late.js", "if (false) { let x = ; }")))
                .isInstanceOfSatisfying(ScriptCompileException.class, e -> {
                    assertThat(e.error().line()).isEqualTo(1);
                    assertThat(e.error().column()).isEqualTo(22);
                    assertThat(e.error().message()).isEqualTo("Expected an operand but found ;");
                });
    }

    @Test
    void concurrentRunsShareOneCompiledScriptAndNothingElse() throws Exception {
        scripts.write("count.js", """
                var total = 0
                for (var i = 1; i <= args.n; i++) { total += i }
                sleep(20)
                total
                """);
        long before = scripts.coordinator().engine().compilations();
        List<RunHandle> handles = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            handles.add(scripts.start("count.js", Map.of("n", n * 100)));
        }
        for (int n = 1; n <= 20; n++) {
            RunSnapshot end = handles.get(n - 1).await(Duration.ofSeconds(30));
            assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
            long m = n * 100L;
            assertThat(end.result()).isEqualTo(m * (m + 1) / 2);
        }
        assertThat(scripts.coordinator().engine().compilations() - before).isEqualTo(1);
    }
}
