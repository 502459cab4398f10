package io.steward.engine.js;

import io.steward.engine.DataMap;
import io.steward.engine.HostObject;
import io.steward.engine.JsonValues;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

import java.util.function.Supplier;

import static io.steward.engine.js.JsHostFunction.action;
import static io.steward.engine.js.JsHostFunction.arg;
import static io.steward.engine.js.JsHostFunction.function;

/**
 * The JavaScript form of each host object member, made when a script first names it. Data members become
 * native values; {@code log}, {@code shared}, {@code priv} and {@code status} become objects whose methods ask
 * the host object afresh on each call (so the launcher, which has no status, fails only if it uses it); the
 * functions come from {@link JsHostFunctions}.
 */
final class JsHostMembers {
    private final HostObject host;
    private final Scriptable scope;
    private final JsHostFunctions functions;

    JsHostMembers(HostObject host, Scriptable scope) {
        this.host = host;
        this.scope = scope;
        this.functions = new JsHostFunctions(host, scope);
    }

    boolean knows(String name) {
        return HostObject.MEMBERS.contains(name) || host.globals().containsKey(name);
    }

    Object create(Context cx, String name) {
        return switch (name) {
            case "args" -> JsValues.toJs(cx, scope, host.args());
            case "runId" -> host.runId();
            case "node" -> JsValues.toJs(cx, scope, host.node());
            case "log" -> log(cx);
            case "shared" -> data(cx, host::shared);
            case "priv" -> data(cx, host::priv);
            case "status" -> status(cx);
            case "inbox" -> inbox(cx);
            default -> HostObject.MEMBERS.contains(name)
                    ? functions.create(cx, name)
                    : JsValues.toJs(cx, scope, host.globals().get(name));
        };
    }

    private ScriptableObject log(Context cx) {
        ScriptableObject log = newObject(cx);
        action(cx, scope, log, "info", 1, (c, a) -> host.log().info(message(arg(a, 0))));
        action(cx, scope, log, "warn", 1, (c, a) -> host.log().warn(message(arg(a, 0))));
        action(cx, scope, log, "error", 1, (c, a) -> host.log().error(message(arg(a, 0))));
        return log;
    }

    /** What Groovy would log for the same value; a function or the like logs as JavaScript prints it. */
    private static Object message(Object value) {
        Object java = JsValues.toJava(value);
        return java instanceof JsonValues.NotJson ? Context.toString(value) : java;
    }

    private ScriptableObject data(Context cx, Supplier<DataMap> map) {
        ScriptableObject data = newObject(cx);
        action(cx, scope, data, "put", 2,
                (c, a) -> map.get().put(JsValues.string(arg(a, 0)), JsValues.toJava(arg(a, 1))));
        function(cx, scope, data, "get", 1,
                (c, a) -> JsValues.toJs(c, scope, map.get().get(JsValues.string(arg(a, 0)))));
        function(cx, scope, data, "remove", 1,
                (c, a) -> JsValues.toJs(c, scope, map.get().remove(JsValues.string(arg(a, 0)))));
        function(cx, scope, data, "keys", 0, (c, a) -> JsValues.toJs(c, scope, map.get().keys()));
        function(cx, scope, data, "asMap", 0, (c, a) -> JsValues.toJs(c, scope, map.get().asMap()));
        return data;
    }

    private ScriptableObject status(Context cx) {
        ScriptableObject status = newObject(cx);
        action(cx, scope, status, "set", 2,
                (c, a) -> host.status().set(JsValues.string(arg(a, 0)), JsValues.toJava(arg(a, 1))));
        function(cx, scope, status, "get", 1,
                (c, a) -> JsValues.toJs(c, scope, host.status().get(JsValues.string(arg(a, 0)))));
        action(cx, scope, status, "event", 2,
                (c, a) -> host.status().event(JsValues.string(arg(a, 0)), JsValues.toJava(arg(a, 1))));
        action(cx, scope, status, "progress", 2,
                (c, a) -> host.status().progress(Context.toNumber(arg(a, 0)), JsValues.string(arg(a, 1))));
        return status;
    }

    private ScriptableObject inbox(Context cx) {
        ScriptableObject inbox = newObject(cx);
        function(cx, scope, inbox, "take", 1,
                (c, a) -> JsValues.toJs(c, scope, host.inbox().take((long) Context.toNumber(arg(a, 0)))));
        function(cx, scope, inbox, "poll", 0, (c, a) -> JsValues.toJs(c, scope, host.inbox().poll()));
        return inbox;
    }

    private ScriptableObject newObject(Context cx) {
        return (ScriptableObject) cx.newObject(scope);
    }
}
