package io.steward.engine.js;

import io.steward.engine.RefusedException;
import io.steward.engine.ScriptStoppedError;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * A JavaScript function that calls into the host object. This is where Java failures enter JavaScript: a
 * wait that is interrupted stops the thread, a refusal or a stop passes uncatchably, and any other failure
 * becomes a JavaScript error the script may catch (see {@link JsErrors#toScript}).
 */
final class JsHostFunction extends BaseFunction {

    /** A host call returning a JavaScript value. */
    @FunctionalInterface
    interface Body {
        Object call(Context cx, Object[] args) throws InterruptedException;
    }

    /** A host call with nothing to return: JavaScript gets {@code undefined}. */
    @FunctionalInterface
    interface Action {
        void run(Context cx, Object[] args) throws InterruptedException;
    }

    private final String name;
    private final int arity;
    private final transient Body body;

    private JsHostFunction(Context cx, Scriptable scope, String name, int arity, Body body) {
        this.name = name;
        this.arity = arity;
        this.body = body;
        ScriptRuntime.setFunctionProtoAndParent(this, cx, scope);
    }

    static JsHostFunction of(Context cx, Scriptable scope, String name, int arity, Body body) {
        return new JsHostFunction(cx, scope, name, arity, body);
    }

    /** Defines a method on {@code target}; {@code scope} is the run's global scope. */
    static void function(Context cx, Scriptable scope, ScriptableObject target, String name, int arity, Body body) {
        target.defineProperty(name, of(cx, scope, name, arity, body), ScriptableObject.DONTENUM);
    }

    static void action(Context cx, Scriptable scope, ScriptableObject target, String name, int arity, Action action) {
        function(cx, scope, target, name, arity, (c, args) -> {
            action.run(c, args);
            return Undefined.instance;
        });
    }

    /** Argument {@code i}, or {@code undefined} when the script passed fewer. */
    static Object arg(Object[] args, int i) {
        return i < args.length ? args[i] : Undefined.instance;
    }

    @Override
    public Object call(Context cx, Scriptable scope, Scriptable thisObj, Object[] args) {
        try {
            return body.call(cx, args);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptStoppedError();
        } catch (RhinoException | RefusedException | ScriptStoppedError e) {
            throw e;
        } catch (RuntimeException e) {
            throw JsErrors.toScript(e);
        }
    }

    @Override
    public Scriptable construct(Context cx, Scriptable scope, Object[] args) {
        throw ScriptRuntime.typeError(name + " is not a constructor");
    }

    @Override
    public String getFunctionName() {
        return name;
    }

    @Override
    public int getLength() {
        return arity;
    }

    @Override
    public int getArity() {
        return arity;
    }
}
