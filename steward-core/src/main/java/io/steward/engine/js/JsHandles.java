package io.steward.engine.js;

import io.steward.engine.ScriptProcess;
import io.steward.engine.ScriptThread;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

import static io.steward.engine.js.JsHostFunction.action;
import static io.steward.engine.js.JsHostFunction.arg;
import static io.steward.engine.js.JsHostFunction.function;

/** The objects {@code spawn} and {@code start} give a script: native objects over the host's handles. */
final class JsHandles {
    private static final int FIXED = ScriptableObject.READONLY | ScriptableObject.PERMANENT;

    private JsHandles() {
    }

    /** {@code name}, {@code join()} (the function's value, or its failure rethrown) and {@code isAlive()}. */
    static Scriptable thread(Context cx, Scriptable scope, ScriptThread thread) {
        ScriptableObject handle = (ScriptableObject) cx.newObject(scope);
        handle.defineProperty("name", thread.name(), FIXED);
        function(cx, scope, handle, "join", 0, (c, a) -> JsValues.toJs(c, scope, thread.join()));
        function(cx, scope, handle, "isAlive", 0, (c, a) -> thread.isAlive());
        return handle;
    }

    /** What {@code connect(url, token)} gives a script: a primary to invoke, poll and publish to. */
    static Scriptable primary(Context cx, Scriptable scope, io.steward.engine.RemotePrimary primary) {
        ScriptableObject handle = (ScriptableObject) cx.newObject(scope);
        function(cx, scope, handle, "invoke", 2, (c, a) -> JsValues.toJs(c, scope,
                primary.invoke(JsValues.string(arg(a, 0)), map(arg(a, 1)))));
        function(cx, scope, handle, "start", 2, (c, a) -> JsValues.toJs(c, scope,
                primary.start(JsValues.string(arg(a, 0)), map(arg(a, 1)))));
        function(cx, scope, handle, "poll", 1, (c, a) -> JsValues.toJs(c, scope, primary.poll(JsValues.string(arg(a, 0)))));
        function(cx, scope, handle, "server", 0, (c, a) -> JsValues.toJs(c, scope, primary.server()));
        function(cx, scope, handle, "push", 2, (c, a) -> JsValues.toJs(c, scope,
                primary.push(JsValues.string(arg(a, 0)), JsValues.string(arg(a, 1)))));
        return handle;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> map(Object value) {
        Object v = JsValues.toJava(value);
        if (v == null) {
            return java.util.Map.of();
        }
        if (v instanceof java.util.Map<?, ?> m) {
            return (java.util.Map<String, Object>) m;
        }
        throw new IllegalArgumentException("arguments are an object such as {env: 'lab'}, not " + JsValues.describe(value));
    }

    /**
     * {@code pid}, {@code output} (stdout so far: an accessor, read afresh each time), {@code isAlive()},
     * {@code waitFor([timeoutMs])} (the result object, or null while it still runs) and {@code kill()}.
     */
    static Scriptable process(Context cx, Scriptable scope, ScriptProcess process) {
        ScriptableObject handle = (ScriptableObject) cx.newObject(scope);
        handle.defineProperty("pid", JsValues.toJs(cx, scope, process.pid()), FIXED);
        handle.defineProperty("output", process::output, null, ScriptableObject.READONLY);
        function(cx, scope, handle, "isAlive", 0, (c, a) -> process.isAlive());
        function(cx, scope, handle, "waitFor", 1, (c, a) -> {
            Object timeout = arg(a, 0);
            return JsValues.toJs(c, scope, timeout == null || Undefined.isUndefined(timeout)
                    ? process.waitFor() : process.waitFor((long) Context.toNumber(timeout)));
        });
        action(cx, scope, handle, "kill", 0, (c, a) -> process.kill());
        return handle;
    }
}
