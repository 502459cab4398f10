package io.steward.engine.js;

import io.steward.engine.HostObject;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.Undefined;

import java.util.List;
import java.util.Map;

import static io.steward.engine.js.JsHostFunction.arg;

/**
 * The host object's functions as JavaScript functions: each converts its arguments, calls the host object and
 * converts the answer back. None does any work of its own.
 */
final class JsHostFunctions {
    private final HostObject host;
    private final Scriptable scope;

    JsHostFunctions(HostObject host, Scriptable scope) {
        this.host = host;
        this.scope = scope;
    }

    JsHostFunction create(Context cx, String name) {
        return switch (name) {
            case "spawn" -> JsHostFunction.of(cx, scope, name, 1, (c, a) -> JsHandles.thread(c, scope,
                    host.spawn(new JsThreadBody(host.scriptName(), function(arg(a, 0), "spawn(fn)"), scope))));
            case "onMessage" -> JsHostFunction.of(cx, scope, name, 1, (c, a) -> {
                Function handler = function(arg(a, 0), "onMessage(fn)");
                String script = host.scriptName();
                host.onMessage(message -> {
                    Context own = JsContextFactory.INSTANCE.enterContext();
                    try {
                        return new JsThreadBody(script, handler, scope, JsValues.toJs(own, scope, message)).call();
                    } finally {
                        Context.exit();
                    }
                });
                return Undefined.instance;
            });
            case "onCancel" -> JsHostFunction.of(cx, scope, name, 1, (c, a) -> {
                host.onCancel(new JsThreadBody(host.scriptName(), function(arg(a, 0), "onCancel(fn)"), scope));
                return Undefined.instance;
            });
            case "parallel" -> JsHostFunction.of(cx, scope, name, 2, this::parallel);
            case "exec" -> JsHostFunction.of(cx, scope, name, 2,
                    (c, a) -> JsValues.toJs(c, scope, host.exec(command(arg(a, 0)), options(arg(a, 1)))));
            case "start" -> JsHostFunction.of(cx, scope, name, 2,
                    (c, a) -> JsHandles.process(c, scope, host.start(command(arg(a, 0)), options(arg(a, 1)))));
            case "include" -> JsHostFunction.of(cx, scope, name, 1,
                    (c, a) -> JsValues.toJs(c, scope, host.include(JsValues.string(arg(a, 0)))));
            case "sleep" -> JsHostFunction.of(cx, scope, name, 1, (c, a) -> {
                host.sleep((long) Context.toNumber(arg(a, 0)));
                return Undefined.instance;
            });
            case "now" -> JsHostFunction.of(cx, scope, name, 0, (c, a) -> JsValues.toJs(c, scope, host.now()));
            case "refuse" -> JsHostFunction.of(cx, scope, name, 1, (c, a) -> {
                host.refuse(JsValues.toJava(arg(a, 0)));
                return Undefined.instance;
            });
            case "nodes" -> JsHostFunction.of(cx, scope, name, 1,
                    (c, a) -> JsValues.toJs(c, scope, host.nodes(JsValues.string(arg(a, 0)))));
            case "runOn" -> JsHostFunction.of(cx, scope, name, 4, (c, a) -> JsValues.toJs(c, scope,
                    host.runOn(JsValues.string(arg(a, 0)), JsValues.string(arg(a, 1)), options(arg(a, 2)), options(arg(a, 3)))));
            case "connect" -> JsHostFunction.of(cx, scope, name, 2, (c, a) -> JsHandles.primary(c, scope,
                    host.connect(JsValues.string(arg(a, 0)), JsValues.string(arg(a, 1)))));
            default -> throw new IllegalStateException("the host member '" + name + "' has no JavaScript form");
        };
    }

    private Object parallel(Context cx, Object[] args) throws InterruptedException {
        List<Object> items = JsValues.elements(arg(args, 0), "parallel(items, fn)");
        Function body = function(arg(args, 1), "parallel(items, fn)");
        String script = host.scriptName();
        List<Object> results = host.parallel(items, item -> new JsThreadBody(script, body, scope, item).call());
        return JsValues.toJs(cx, scope, results);
    }

    private static Function function(Object value, String what) {
        if (value instanceof Function f) {
            return f;
        }
        throw new IllegalArgumentException(what + " takes a function, not " + JsValues.describe(value));
    }

    /** A string (a shell command line) or an array (an argv); the host object says what else is wrong. */
    private static Object command(Object value) {
        return JsValues.toJava(value);
    }

    private static Map<?, ?> options(Object value) {
        Object options = JsValues.toJava(value);
        if (options == null || options instanceof Map<?, ?>) {
            return (Map<?, ?>) options;
        }
        throw new IllegalArgumentException("process options are an object such as {dir: '/tmp'}, not "
                + JsValues.describe(value));
    }
}
