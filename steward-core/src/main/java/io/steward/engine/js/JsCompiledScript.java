package io.steward.engine.js;

import io.steward.engine.CompiledScript;
import io.steward.engine.HostObject;
import io.steward.engine.ScriptText;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Script;

/**
 * A script compiled to bytecode once and executed by every run, on any thread, against that run's
 * {@link JsRunScope}. Its value is the script's completion value: the value of the last expression statement
 * it executed ({@code undefined}, so {@code null}, when there was none). It is converted to Java for the run's
 * result and for Groovy; a JavaScript script that includes it gets the JavaScript value itself, so that a library
 * can hand over an object of functions.
 */
final class JsCompiledScript implements CompiledScript {
    private final ScriptText text;
    private final Script script;

    JsCompiledScript(ScriptText text, Script script) {
        this.text = text;
        this.script = script;
    }

    @Override
    public ScriptText text() {
        return text;
    }

    /** The Rhino script, for tests that check how it was compiled. */
    Script rhinoScript() {
        return script;
    }

    @Override
    public Object run(HostObject host) {
        boolean includedFromJavaScript = Context.getCurrentContext() != null;
        // Nested when a JavaScript script includes another: the thread's Context is entered once more.
        Context cx = JsContextFactory.INSTANCE.enterContext();
        try {
            Object value = script.exec(cx, JsRunScope.of(host));
            return includedFromJavaScript ? value : JsValues.toJava(value);
        } catch (Throwable t) {
            throw JsErrors.translate(text.name(), t);
        } finally {
            Context.exit();
        }
    }
}
