package io.steward.engine.js;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.coordinator.Scripts;
import io.steward.engine.ScriptCompileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JavaScript errors name the script, the line (and the column for compile errors) and say what went wrong. */
class JavaScriptErrorsTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    private RunSnapshot fail(String name, String source) throws InterruptedException {
        RunSnapshot run = scripts.run(name, source);
        assertThat(run.state()).as("%s ended with result %s", name, run.result()).isEqualTo(RunState.FAILED);
        return run;
    }

    @Test
    void aCompileErrorNamesScriptLineAndColumnAndStartsNoRun() {
        scripts.write("broken.js", "var ok = 1\n\nvar x = 1 +* 2\n");
        assertThatThrownBy(() -> scripts.start("broken.js", Map.of()))
                .isInstanceOfSatisfying(ScriptCompileException.class, e -> {
                    assertThat(e.error().script()).isEqualTo("broken.js");
                    assertThat(e.error().line()).isEqualTo(3);
                    assertThat(e.error().column()).isPositive();
                    assertThat(e.error().message()).isEqualTo("Expected an operand but found *");
                    assertThat(e.getMessage()).startsWith("broken.js:3:");
                });
        assertThat(scripts.coordinator().runs()).isEmpty();
    }

    @Test
    void aThrownErrorNamesTheLineAndItsMessage() throws Exception {
        RunSnapshot run = fail("boom.js", "var a = 1\nvar b = 2\nthrow new Error('boom')\n");
        assertThat(run.error().toString()).isEqualTo("boom.js:3: boom");
        assertThat(scripts.events(run.id(), "state").getLast().data()).containsEntry("state", "FAILED");
    }

    @Test
    void otherErrorTypesKeepTheirName() throws Exception {
        RunSnapshot run = fail("type.js", "var x = null\nx.length");
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).startsWith("TypeError: ").contains("length");

        RunSnapshot thrown = fail("value.js", "throw 'plain words'");
        assertThat(thrown.error().message()).isEqualTo("plain words");
    }

    @Test
    void aCaughtAndRethrownHostErrorKeepsItsMessage() throws Exception {
        RunSnapshot run = fail("rethrow.js", "try {\n  exec(42)\n} catch (e) {\n  throw e\n}\n");
        // The line of the call that failed, where the Error was made, not of the rethrow.
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).contains("a command is a string");
    }

    @Test
    void anErrorInAnIncludedScriptNamesThatScript() throws Exception {
        scripts.write("lib/bad.js", "\n\nthrow new Error('lib is broken')\n");
        RunSnapshot run = fail("uses.js", "include('lib/bad.js')");
        assertThat(run.error().script()).isEqualTo("lib/bad.js");
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).isEqualTo("lib is broken");
    }

    @Test
    void aCompileErrorInAnIncludedScriptFailsTheRun() throws Exception {
        scripts.write("lib/syntax.js", "var = \n");
        RunSnapshot run = fail("uses.js", "include('lib/syntax.js')");
        assertThat(run.error().script()).isEqualTo("lib/syntax.js");
        assertThat(run.error().line()).isEqualTo(1);
    }

    @Test
    void anErrorInASpawnedFunctionNamesItsLine() throws Exception {
        RunSnapshot run = fail("spawned.js", "var t = spawn(function () {\n  var x = null\n  return x.length\n})\nt.join()");
        assertThat(run.error().script()).isEqualTo("spawned.js");
        assertThat(run.error().line()).isEqualTo(3);
        assertThat(run.error().message()).startsWith("TypeError: ");
    }

    @Test
    void anErrorInAParallelBodyNamesItsLine() throws Exception {
        RunSnapshot run = fail("par.js", "parallel([1, 2, 3], n => {\n  if (n === 2) throw new Error('two is bad')\n  return n\n})");
        assertThat(run.error().line()).isEqualTo(2);
        assertThat(run.error().message()).isEqualTo("two is bad");
    }

    @Test
    void wrongArgumentsToHostFunctionsAreNamed() throws Exception {
        assertThat(fail("spawnarg.js", "spawn(42)").error().message()).isEqualTo("spawn(fn) takes a function, not a number");
        assertThat(fail("pararg.js", "parallel('abc', x => x)").error().message())
                .isEqualTo("parallel(items, fn) takes an array, not a string");
        assertThat(fail("opts.js", "exec('true', {color: 'red'})").error().message()).contains("unknown process option 'color'");
    }

    @Test
    void aFunctionAsResultFailsTheRun() throws Exception {
        RunSnapshot run = fail("fnresult.js", "(function () {})");
        assertThat(run.error().message()).contains("the result of fnresult.js").contains("a JavaScript function");
    }

    @Test
    void anObjectThatContainsItselfIsRefused() throws Exception {
        RunSnapshot run = fail("cycle.js", "var o = {}; o.self = o; shared.put('o', o)");
        assertThat(run.error().message()).contains("shared key 'o'").contains("contains itself");
    }
}
