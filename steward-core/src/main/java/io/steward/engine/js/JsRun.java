package io.steward.engine.js;

import io.steward.engine.HostObject;
import io.steward.engine.RefusedException;
import io.steward.engine.ScriptStoppedError;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JavaScript side of one run: one GraalJS context per script thread, the run's libraries, and the stop.
 *
 * <p>A JavaScript context may not be used by two threads at once, and a thread blocked in a host call
 * ({@code exec}, {@code sleep}, {@code join}) still holds its context; so a run cannot share one context between
 * its script threads. Each script thread gets a context of its own instead, made from the one shared engine
 * (parsed code is shared, a context costs tens of kilobytes). A new thread's context gets, in this order: the host
 * members, the run's JavaScript libraries (each evaluated again in it, in include order), copies of the spawning
 * context's global variables and functions (functions by their source, values as JSON), and finally the function
 * it runs, again by its source. What a thread does to its globals stays in its context; threads share data
 * through {@code shared}, {@code priv}, {@code status} and the values they pass and return, as Node's workers do.
 *
 * <p>A context whose script thread ended goes back to the run for its next thread (see {@link #call}); the run's
 * main context does not (its globals are the script's own). Stopping the run cancels every open context: GraalJS then ends the code running in it, busy loops and
 * {@code catch} blocks included.
 */
final class JsRun {
    private final HostObject host;
    private final List<JsCompiledScript> libraries = new CopyOnWriteArrayList<>();
    private final Set<JsContext> open = ConcurrentHashMap.newKeySet();
    /** Contexts of ended script threads, for the next ones: see {@link #call}. */
    private final Deque<JsContext> idle = new ConcurrentLinkedDeque<>();
    private final ThreadLocal<JsContext> current = new ThreadLocal<>();
    private volatile boolean stopping;
    private volatile RefusedException refusal;

    private JsRun(HostObject host) {
        this.host = host;
    }

    static JsRun of(HostObject host) {
        return host.attachment(JsRun.class, () -> {
            JsRun run = new JsRun(host);
            host.whenStopping(run::stop);
            host.whenAllEnded(run::closeIdle);
            return run;
        });
    }

    HostObject host() {
        return host;
    }

    List<JsCompiledScript> libraries() {
        return libraries;
    }

    /** Runs the run's own script (or the launcher) in a new context on this thread. */
    Object runMain(JsCompiledScript script) {
        try (JsContext context = open(false)) {
            Value value = context.evaluate(script);
            rethrowRefusal();
            return context.toJava(value);
        } catch (PolyglotException e) {
            throw JsErrors.translate(script.text().name(), e, null);
        }
    }

    /**
     * Evaluates a library for the run, once ({@link HostObject#include} calls this at most once per name): in the
     * including thread's context, or in a context of its own when the includer is not JavaScript.
     */
    Object include(JsCompiledScript library) {
        JsContext including = current.get();
        JsContext context = including != null ? including : open(true);
        try {
            Object value = context.toJava(context.evaluateLibrary(library));
            libraries.add(library);
            return value;
        } catch (PolyglotException e) {
            throw JsErrors.translate(library.text().name(), e, null);
        } finally {
            if (including == null) {
                context.close();
            }
        }
    }

    /**
     * Runs a function of the script on the calling (new) script thread, in a context of its own: one an ended thread
     * of this run left, or a new one. Reuse is what keeps a {@code parallel} over thousands of quick items from
     * making thousands of contexts; as in a pool of Node workers, globals a function creates may still be there for
     * a later thread, while the spawning context's globals are copied afresh each time. A context whose thread
     * failed is not reused.
     */
    Object call(JsFunction function, Object... args) {
        JsContext context = borrow();
        boolean reusable = false;
        try {
            Value fn = context.define(function);
            Object[] converted = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                converted[i] = context.toJs(args[i]);
            }
            Value result = fn.execute(converted);
            rethrowRefusal();
            Object value = context.toJava(result);
            reusable = true;
            return value;
        } catch (PolyglotException e) {
            throw JsErrors.translate(function.script(), e, JsErrors.THREAD_HINT);
        } finally {
            if (reusable && !stopping) {
                release(context);
            } else {
                context.close();
            }
        }
    }

    private JsContext borrow() {
        JsContext context = idle.pollFirst();
        if (context == null) {
            return open(true);
        }
        current.set(context);
        for (JsCompiledScript library : libraries) {
            // included since this context was last used
            context.ensureLibrary(library.text().name());
        }
        return context;
    }

    private void release(JsContext context) {
        current.remove();
        idle.addFirst(context);
        if (stopping && idle.remove(context)) {
            context.close();
        }
    }

    private void closeIdle() {
        for (JsContext context = idle.pollFirst(); context != null; context = idle.pollFirst()) {
            open.remove(context);
            context.closeQuietly();
        }
    }

    /** The context of the calling thread, if it runs JavaScript of this run. */
    JsContext current() {
        return current.get();
    }

    void refused(RefusedException e) {
        refusal = e;
    }

    private void rethrowRefusal() {
        RefusedException refused = refusal;
        if (refused != null) {
            // A script's catch block may have swallowed it on the way out: a refusal is final all the same.
            throw refused;
        }
    }

    private JsContext open(boolean withLibraries) {
        if (stopping) {
            throw new ScriptStoppedError();
        }
        JsContext context = new JsContext(this, current.get());
        open.add(context);
        current.set(context);
        if (stopping) {
            context.close();
            throw new ScriptStoppedError();
        }
        if (withLibraries) {
            for (JsCompiledScript library : libraries) {
                context.evaluateLibrary(library);
            }
        }
        return context;
    }

    void closed(JsContext context) {
        open.remove(context);
        if (current.get() == context) {
            current.set(context.previous());
        }
        if (current.get() == null) {
            current.remove();
        }
    }

    private void stop() {
        stopping = true;
        closeIdle();
        for (JsContext context : open) {
            // Cancelling waits for the context's thread to leave it: never on the thread that stops the run.
            Thread.ofVirtual().name("js-cancel").start(context::cancel);
        }
    }
}
