package io.steward.coordinator;

import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Errors name the script, the line (and the column for compile errors) and say what went wrong (claim 31). */
class ScriptErrorsTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void aCompileErrorNamesScriptLineAndColumnAndStartsNoRun() {
        scripts.write("broken.groovy", "def ok = 1\n\ndef x = 1 +* 2\n");
        assertThatThrownBy(() -> scripts.start("broken.groovy", Map.of()))
                .isInstanceOfSatisfying(ScriptCompileException.class, e -> {
                    assertThat(e.error().script()).isEqualTo("broken.groovy");
                    assertThat(e.error().line()).isEqualTo(3);
                    assertThat(e.error().column()).isPositive();
                    assertThat(e.getMessage()).startsWith("broken.groovy:3:");
                });
        assertThat(scripts.coordinator().runs()).isEmpty();
    }

    @Test
    void aRuntimeErrorNamesTheLine() throws Exception {
        RunSnapshot run = scripts.run("boom.groovy", "def a = 1\ndef b = 2\nthrow new RuntimeException('boom')\n");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().toString()).isEqualTo("boom.groovy:3: boom");
        assertThat(scripts.events(run.id(), "state").getLast().data()).containsEntry("state", "FAILED");
    }

    @Test
    void anErrorInAnIncludedScriptNamesThatScript() throws Exception {
        scripts.write("lib/bad.groovy", "\n\nassert 1 == 2 : 'lib is broken'\n");
        RunSnapshot run = scripts.run("uses.groovy", "include('lib/bad.groovy')");
        assertThat(run.error().script()).isEqualTo("lib/bad.groovy");
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).contains("lib is broken");
    }

    @Test
    void aCompileErrorInAnIncludedScriptFailsTheRun() throws Exception {
        scripts.write("lib/syntax.groovy", "def = \n");
        RunSnapshot run = scripts.run("uses.groovy", "include('lib/syntax.groovy')");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().script()).isEqualTo("lib/syntax.groovy");
        assertThat(run.error().line()).isEqualTo(1);
    }

    @Test
    void anErrorInASpawnedClosureNamesItsLine() throws Exception {
        RunSnapshot run = scripts.run("spawned.groovy", "def t = spawn {\n  def x = null\n  x.length()\n}\nt.join()");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).contains("NullPointerException");
    }

    @Test
    void anUnknownScriptIsNamedAndStartsNoRun() {
        assertThatThrownBy(() -> scripts.start("nope.groovy", Map.of()))
                .isInstanceOf(ScriptNotFoundException.class).hasMessageContaining("nope.groovy");
        assertThat(scripts.coordinator().runs()).isEmpty();
    }

    @Test
    void badNamesAndArgumentsAreRefusedBeforeAnyRun() {
        assertThatThrownBy(() -> scripts.start("../etc/passwd.groovy", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("..");
        assertThatThrownBy(() -> scripts.start("notes.txt", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'.txt'");
        scripts.write("fine.groovy", "1");
        assertThatThrownBy(() -> scripts.start("fine.groovy", Map.of("when", new java.util.Date())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("args").hasMessageContaining("when");
        assertThat(scripts.coordinator().runs()).isEmpty();
    }
}
