package io.steward.engine.js;

import io.steward.engine.CompiledScript;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptLanguage;
import io.steward.engine.ScriptText;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * JavaScript on GraalJS (ECMAScript 2024). A script is parsed once here, which finds every syntax error before a
 * run starts; its {@link Source} is cached by the shared engine, so the contexts of later runs reuse the parse.
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
        JsEngine engine = JsEngine.get();
        Source source = Source.newBuilder("js", text.source(), text.name()).cached(true).buildLiteral();
        try (Context context = engine.newContext()) {
            context.parse(source);
        } catch (PolyglotException e) {
            throw new ScriptCompileException(JsErrors.syntaxError(text.name(), e), e);
        }
        return new JsCompiledScript(text, source);
    }
}
