package io.steward.engine.js;

import io.steward.engine.CompiledScript;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptLanguage;
import io.steward.engine.ScriptText;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EvaluatorException;

/**
 * JavaScript with Mozilla Rhino: scripts compile once to JVM bytecode (see {@link JsContextFactory}) and run
 * against a per-run global scope through which the host object answers every name the script does not define.
 *
 * <p>A run's result is the script's completion value, the value of the last expression statement executed, as
 * {@code eval} would give it: a script ending in {@code ({ok: true})} or {@code total * 2} returns that. There is
 * no top-level {@code return} in JavaScript. Functions and other non-JSON values cannot be a result.
 */
public final class JavaScriptLanguage implements ScriptLanguage {

    @Override
    public String id() {
        return "javascript";
    }

    @Override
    public String extension() {
        return ".js";
    }

    @Override
    public CompiledScript compile(ScriptText text) {
        Context cx = JsContextFactory.INSTANCE.enterContext();
        try {
            return new JsCompiledScript(text, cx.compileString(text.source(), text.name(), 1, null));
        } catch (EvaluatorException e) {
            throw new ScriptCompileException(new ScriptError(text.name(), Math.max(0, e.lineNumber()),
                    Math.max(0, e.columnNumber()), e.details()), e);
        } catch (RuntimeException e) {
            // Rhino's code generator can also fail outright, such as on a function too large for one JVM method.
            throw new ScriptCompileException(new ScriptError(text.name(), 0, 0, JsErrors.javaMessage(e)), e);
        } finally {
            Context.exit();
        }
    }
}
