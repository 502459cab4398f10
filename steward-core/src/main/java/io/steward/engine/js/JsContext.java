package io.steward.engine.js;

import io.steward.engine.JsonValues;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One GraalJS context of a run, used by one script thread: the host members bound as globals, the prelude's
 * helpers, and the libraries evaluated in it so far.
 */
final class JsContext implements AutoCloseable {
    private final JsRun run;
    private final JsContext previous;
    private final Context context;
    private final Value newObject;
    private final Value newArray;
    private final Value fail;
    /** The libraries evaluated here, with the value each gave: what {@code include} hands a script of this context. */
    private final Map<String, Value> evaluated = new HashMap<>();
    /** Globals copied in from a spawning context: refreshed by every later {@link #define}, unlike the libraries'. */
    private final Set<String> copied = new HashSet<>();

    JsContext(JsRun run, JsContext previous) {
        this.run = run;
        this.previous = previous;
        this.context = JsEngine.get().newContext();
        try {
            Value helpers = context.eval(JsEngine.get().prelude());
            newObject = helpers.getMember("object");
            newArray = helpers.getMember("array");
            fail = helpers.getMember("fail");
            Value bindings = context.getBindings("js");
            JsHostMembers.bind(run, this, bindings);
            helpers.getMember("console").execute(bindings.getMember("log"));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    JsContext previous() {
        return previous;
    }

    Value evaluate(JsCompiledScript script) {
        return context.eval(script.source());
    }

    Value evaluateLibrary(JsCompiledScript library) {
        Value value = context.eval(library.source());
        evaluated.put(library.text().name(), value);
        return value;
    }

    /**
     * Makes a JavaScript library the run has included (on another thread, perhaps) defined in this context too, and
     * gives its value here (an object of functions stays one); null for a library in another language.
     */
    Value ensureLibrary(String name) {
        Value value = evaluated.get(name);
        if (value != null) {
            return value;
        }
        for (JsCompiledScript library : run.libraries()) {
            if (library.text().name().equals(name)) {
                return evaluateLibrary(library);
            }
        }
        return null; // not a JavaScript library
    }

    /** Defines a function of another context here, with the globals it was spawned beside, and returns it. */
    Value define(JsFunction function) {
        Value bindings = context.getBindings("js");
        for (JsFunction.Global global : function.globals()) {
            if (copied.contains(global.name()) || !bindings.hasMember(global.name())) {
                bindings.putMember(global.name(), global.source() != null
                        ? context.eval(global.source()) : toJs(global.value()));
                copied.add(global.name());
            }
        }
        return context.eval(function.source());
    }

    /** This context's script-defined globals, as a new thread's context receives them. */
    List<JsFunction.Global> globals() {
        Value bindings = context.getBindings("js");
        Set<String> skip = JsEngine.get().standardGlobals();
        List<JsFunction.Global> globals = new ArrayList<>();
        for (String name : bindings.getMemberKeys()) {
            if (skip.contains(name) || JsHostMembers.binds(run.host(), name) || name.equals("console")) {
                continue;
            }
            Value value = bindings.getMember(name);
            Source source = JsFunction.sourceOf(value);
            if (source != null) {
                globals.add(new JsFunction.Global(name, source, null));
            } else if (!value.canExecute()) {
                Object java = JsValues.transferable(value);
                if (!(java instanceof JsonValues.NotJson)) {
                    globals.add(new JsFunction.Global(name, null, java));
                }
            }
        }
        return globals;
    }

    Object toJava(Value value) {
        return JsValues.toJava(value);
    }

    Object toJs(Object value) {
        return JsValues.toJs(this, value);
    }

    Value newObject() {
        return newObject.execute();
    }

    Value newArray() {
        return newArray.execute();
    }

    /** Throws a JavaScript {@code Error} with this message into the script: one the script can catch. */
    PolyglotException fail(String message) {
        try {
            fail.execute(message);
        } catch (PolyglotException e) {
            return e;
        }
        throw new IllegalStateException("the prelude's fail() returned");
    }

    void cancel() {
        try {
            context.close(true);
        } catch (RuntimeException alreadyClosedOrCancelled) {
            // nothing left to stop
        }
    }

    /** Closes a context no thread is using. */
    void closeQuietly() {
        try {
            context.close();
        } catch (RuntimeException inUseOrCancelled) {
            // the stop's cancel closes it
        }
    }

    @Override
    public void close() {
        run.closed(this);
        try {
            context.close();
        } catch (RuntimeException cancelled) {
            // cancelled by the stop, or still unwinding from it: the stop closes it
        }
    }
}
