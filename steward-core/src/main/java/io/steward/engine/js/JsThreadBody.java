package io.steward.engine.js;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.Scriptable;

import java.util.concurrent.Callable;

/**
 * A JavaScript function run as the body of a new script thread ({@code spawn}, {@code parallel}). A Rhino
 * Context belongs to one thread, so the body enters its own; its failures are translated here, on the thread
 * they happen on, so the run's error names the line inside the function. Its value is the function's own
 * JavaScript value: it stays inside the run, and {@code join} hands the very object back.
 */
final class JsThreadBody implements Callable<Object> {
    private final String script;
    private final Function function;
    private final Scriptable scope;
    private final Object[] args;

    JsThreadBody(String script, Function function, Scriptable scope, Object... args) {
        this.script = script;
        this.function = function;
        this.scope = scope;
        this.args = args;
    }

    @Override
    public Object call() {
        Context cx = JsContextFactory.INSTANCE.enterContext();
        try {
            return function.call(cx, scope, scope, args);
        } catch (Throwable t) {
            throw JsErrors.translate(script, t);
        } finally {
            Context.exit();
        }
    }
}
