package io.steward.engine.js;

import io.steward.engine.CompiledScript;
import io.steward.engine.HostObject;
import io.steward.engine.ScriptText;
import org.graalvm.polyglot.Source;

/**
 * A parsed script. Each run evaluates it in a context of its own (see {@link JsRun}); as a library it is evaluated
 * in the including thread's context and remembered, so that every later context of the run evaluates it too.
 */
final class JsCompiledScript implements CompiledScript {
    private final ScriptText text;
    private final Source source;

    JsCompiledScript(ScriptText text, Source source) {
        this.text = text;
        this.source = source;
    }

    @Override
    public ScriptText text() {
        return text;
    }

    Source source() {
        return source;
    }

    @Override
    public Object run(HostObject host) {
        return JsRun.of(host).runMain(this);
    }

    @Override
    public Object include(HostObject host) {
        return JsRun.of(host).include(this);
    }
}
