package io.steward.engine.js;

import io.steward.engine.DataMap;
import io.steward.engine.HostObject;
import io.steward.engine.JsonValues;
import io.steward.engine.RefusedException;
import io.steward.engine.RemotePrimary;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptProcess;
import io.steward.engine.ScriptStoppedError;
import io.steward.engine.ScriptThread;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host object's members as JavaScript globals of one context: data members as plain JavaScript values, the
 * rest as host functions and read-only objects of them. Each function converts its arguments, calls the host
 * object and converts the answer back; none does any work of its own. This is where Java failures enter
 * JavaScript: a host call that fails throws a JavaScript {@code Error} the script may catch; a stop, an interrupted
 * wait and a refusal pass as they are.
 */
final class JsHostMembers {
    @FunctionalInterface
    private interface Body {
        Object call(Value[] args) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Action {
        void run(Value[] args) throws InterruptedException;
    }

    private final JsRun run;
    private final HostObject host;
    private final JsContext context;

    private JsHostMembers(JsRun run, JsContext context) {
        this.run = run;
        this.host = run.host();
        this.context = context;
    }

    /** Whether a global name is the host's, and so is not copied into another thread's context. */
    static boolean binds(HostObject host, String name) {
        return HostObject.MEMBERS.contains(name) || host.globals().containsKey(name);
    }

    static void bind(JsRun run, JsContext context, Value bindings) {
        JsHostMembers members = new JsHostMembers(run, context);
        HostObject host = run.host();
        host.globals().forEach((name, value) -> bindings.putMember(name, context.toJs(value)));
        for (String name : HostObject.MEMBERS) {
            bindings.putMember(name, members.create(name));
        }
    }

    private Object create(String name) {
        return switch (name) {
            case "args" -> cx().toJs(host.args());
            case "runId" -> host.runId();
            case "node" -> cx().toJs(host.node());
            case "log" -> new HostProxy()
                    .member("info", action(a -> host.log().info(message(arg(a, 0)))))
                    .member("warn", action(a -> host.log().warn(message(arg(a, 0)))))
                    .member("error", action(a -> host.log().error(message(arg(a, 0)))));
            case "shared" -> data(host::shared);
            case "priv" -> data(host::priv);
            case "status" -> new HostProxy()
                    .member("set", action(a -> host.status().set(JsValues.string(arg(a, 0)), toJava(arg(a, 1)),
                            io.steward.engine.StatusOptions.secret(statusOptions(arg(a, 2))))))
                    .member("get", function(a -> cx().toJs(host.status().get(JsValues.string(arg(a, 0))))))
                    .member("event", action(a -> host.status().event(JsValues.string(arg(a, 0)), toJava(arg(a, 1)))))
                    .member("progress", action(a -> host.status().progress(
                            JsValues.number(arg(a, 0), "status.progress(fraction, message)"), JsValues.string(arg(a, 1)))));
            case "inbox" -> new HostProxy()
                    .member("take", function(a -> cx().toJs(host.inbox().take(
                            (long) JsValues.number(arg(a, 0), "inbox.take(timeoutMs)")))))
                    .member("poll", function(a -> cx().toJs(host.inbox().poll())));
            case "spawn" -> function(a -> {
                JsFunction body = JsFunction.of(cx(), arg(a, 0), "spawn(fn)");
                Object[] rest = Arrays.stream(a).skip(1).map(JsValues::transferable).toArray();
                return thread(host.spawn(() -> run.call(body, rest)));
            });
            case "parallel" -> function(this::parallel);
            case "exec" -> function(a -> cx().toJs(host.exec(toJava(arg(a, 0)), options(arg(a, 1)))));
            case "start" -> function(a -> process(host.start(toJava(arg(a, 0)), options(arg(a, 1)))));
            case "include" -> function(a -> {
                String script = JsValues.string(arg(a, 0));
                Object value = host.include(script);
                Value own = cx().ensureLibrary(script);
                return own != null ? own : cx().toJs(value);
            });
            case "sleep" -> action(a -> host.sleep((long) JsValues.number(arg(a, 0), "sleep(ms)")));
            case "now" -> function(a -> host.now());
            case "refuse" -> action(a -> {
                try {
                    host.refuse(toJava(arg(a, 0)));
                } catch (RefusedException refused) {
                    run.refused(refused);
                    throw refused;
                }
            });
            case "nodes" -> function(a -> cx().toJs(host.nodes(JsValues.string(arg(a, 0)))));
            case "runOn" -> function(a -> cx().toJs(host.runOn(JsValues.string(arg(a, 0)),
                    JsValues.string(arg(a, 1)), options(arg(a, 2)), options(arg(a, 3)))));
            case "connect" -> function(a -> primary(host.connect(JsValues.string(arg(a, 0)), JsValues.string(arg(a, 1)))));
            case "onMessage" -> action(a -> {
                JsFunction handler = JsFunction.of(cx(), arg(a, 0), "onMessage(fn)");
                host.onMessage(message -> run.call(handler, message));
            });
            case "onCancel" -> action(a -> {
                JsFunction handler = JsFunction.of(cx(), arg(a, 0), "onCancel(fn)");
                host.onCancel(() -> run.call(handler));
            });
            case "vars" -> vars(host.vars());
            case "lock" -> function(a -> {
                // lock(name, timeoutMs, fn) or lock(name, fn)
                boolean timed = a.length > 2;
                Value fn = arg(a, timed ? 2 : 1);
                return locally(fn, "lock(name, timeoutMs, fn)", body -> host.lock(JsValues.string(arg(a, 0)),
                        timed ? millis(arg(a, 1), "lock(name, timeoutMs, fn)") : null, body));
            });
            case "semaphore" -> function(a -> semaphore(host.semaphore(JsValues.string(arg(a, 0)),
                    (long) JsValues.number(arg(a, 1), "semaphore(name, permits)"))));
            case "event" -> function(a -> event(host.event(JsValues.string(arg(a, 0)))));
            case "queue" -> function(a -> queue(host.queue(JsValues.string(arg(a, 0)))));
            case "pool" -> function(a -> pool(host.pool(JsValues.string(arg(a, 0)))));
            default -> throw new IllegalStateException("the host member '" + name + "' has no JavaScript form");
        };
    }

    // ---- coordination handles (io.steward.coordination): thin converters, as the rest ----

    @FunctionalInterface
    private interface Holding {
        Object run(java.util.concurrent.Callable<Object> body) throws Exception;
    }

    /**
     * Runs a JavaScript function on this thread, inside a host call that holds something while it runs (a lock, a
     * pool entry): the function's own value comes back to the script as it is, unconverted.
     */
    private Object locally(Value fn, String usage, Holding holding) throws InterruptedException {
        if (fn == null || !fn.canExecute()) {
            throw new IllegalArgumentException(usage + " takes a function, not " + JsValues.describe(fn));
        }
        Value[] result = new Value[1];
        try {
            holding.run(() -> {
                result[0] = fn.execute();
                return null;
            });
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return result[0];
    }

    private static Long millis(Value v, String usage) {
        return v == null || v.isNull() ? null : (long) JsValues.number(v, usage);
    }

    private HostProxy vars(io.steward.coordination.VarsHandle vars) {
        return new HostProxy()
                .member("get", function(a -> cx().toJs(a.length > 1 ? vars.get(JsValues.string(arg(a, 0)), toJava(arg(a, 1)))
                        : vars.get(JsValues.string(arg(a, 0))))))
                .member("put", action(a -> {
                    Long ttl = millis(arg(a, 2), "vars.put(name, value, ttlMs)");
                    if (ttl == null) {
                        vars.put(JsValues.string(arg(a, 0)), toJava(arg(a, 1)));
                    } else {
                        vars.put(JsValues.string(arg(a, 0)), toJava(arg(a, 1)), ttl);
                    }
                }))
                .member("cas", function(a -> vars.cas(JsValues.string(arg(a, 0)), toJava(arg(a, 1)), toJava(arg(a, 2)))))
                .member("remove", function(a -> vars.remove(JsValues.string(arg(a, 0)))))
                .member("keys", function(a -> cx().toJs(vars.keys())))
                .member("scope", function(a -> vars(vars.scope(JsValues.string(arg(a, 0))))))
                .getter("node", () -> vars(vars.getNode()))
                .member("scopeName", vars.getScopeName());
    }

    private HostProxy semaphore(io.steward.coordination.SemaphoreHandle semaphore) {
        return new HostProxy()
                .member("name", semaphore.getName())
                .member("permits", semaphore.getPermits())
                .member("acquire", function(a -> {
                    boolean timed = a.length > 1;
                    return locally(arg(a, timed ? 1 : 0), "acquire(timeoutMs, fn)", body -> semaphore.acquire(
                            timed ? millis(arg(a, 0), "acquire(timeoutMs, fn)") : null, body));
                }));
    }

    private HostProxy event(io.steward.coordination.EventHandle event) {
        return new HostProxy()
                .member("name", event.getName())
                .member("post", action(a -> event.post()))
                .member("reset", action(a -> event.reset()))
                .member("pulse", function(a -> event.pulse()))
                .member("wait", function(a -> event.await(millis(arg(a, 0), "wait(timeoutMs)"))))
                .member("isPosted", function(a -> event.isPosted()))
                .getter("posted", event::isPosted);
    }

    private HostProxy queue(io.steward.coordination.QueueHandle queue) {
        return new HostProxy()
                .member("name", queue.getName())
                .member("put", action(a -> queue.put(toJava(arg(a, 0)))))
                .member("take", function(a -> cx().toJs(queue.take(millis(arg(a, 0), "take(timeoutMs)")))))
                .member("poll", function(a -> cx().toJs(queue.poll())))
                .member("size", function(a -> queue.size()));
    }

    private HostProxy pool(io.steward.coordination.PoolHandle pool) {
        return new HostProxy()
                .member("name", pool.getName())
                .member("acquire", function(a -> {
                    // acquire(timeoutMs, fn) or acquire(timeoutMs, priority, fn)
                    boolean prioritised = a.length > 2;
                    Value fn = arg(a, prioritised ? 2 : 1);
                    if (fn == null || !fn.canExecute()) {
                        throw new IllegalArgumentException("acquire(timeoutMs, priority, fn) takes a function, not "
                                + JsValues.describe(fn));
                    }
                    Value[] result = new Value[1];
                    pool.acquire(millis(arg(a, 0), "acquire(timeoutMs, priority, fn)"),
                            prioritised ? (long) JsValues.number(arg(a, 1), "acquire(timeoutMs, priority, fn)") : 0,
                            entry -> {
                                result[0] = fn.execute(entry);
                                return null;
                            });
                    return result[0];
                }))
                .member("entries", function(a -> cx().toJs(pool.entries())))
                .member("valueOf", function(a -> cx().toJs(pool.valueOf(JsValues.string(arg(a, 0))))));
    }

    private Object parallel(Value[] a) throws InterruptedException {
        Value items = arg(a, 0);
        if (items == null || !items.hasArrayElements()) {
            throw new IllegalArgumentException("parallel(items, fn) takes an array, not " + JsValues.describe(items));
        }
        JsFunction body = JsFunction.of(cx(), arg(a, 1), "parallel(items, fn)");
        List<Object> elements = (List<Object>) JsValues.toJava(items);
        return cx().toJs(host.parallel(elements, item -> run.call(body, item)));
    }

    private HostProxy data(Supplier<DataMap> map) {
        return new HostProxy()
                .member("put", action(a -> map.get().put(JsValues.string(arg(a, 0)), toJava(arg(a, 1)))))
                .member("get", function(a -> cx().toJs(map.get().get(JsValues.string(arg(a, 0))))))
                .member("remove", function(a -> cx().toJs(map.get().remove(JsValues.string(arg(a, 0))))))
                .member("keys", function(a -> cx().toJs(map.get().keys())))
                .member("asMap", function(a -> cx().toJs(map.get().asMap())));
    }

    /** {@code name}, {@code join()} (the function's value, or its failure rethrown) and {@code isAlive()}. */
    private HostProxy thread(ScriptThread thread) {
        return new HostProxy()
                .member("name", thread.name())
                .member("join", function(a -> cx().toJs(thread.join())))
                .member("isAlive", function(a -> thread.isAlive()));
    }

    /**
     * {@code pid}, {@code output} (stdout so far, read afresh each time), {@code isAlive()},
     * {@code waitFor([timeoutMs])} (the result object, or null while it still runs) and {@code kill()}.
     */
    private HostProxy process(ScriptProcess process) {
        return new HostProxy()
                .member("pid", process.pid())
                .getter("output", process::output)
                .member("isAlive", function(a -> process.isAlive()))
                .member("waitFor", function(a -> {
                    Value timeout = arg(a, 0);
                    return cx().toJs(timeout == null || timeout.isNull() ? process.waitFor()
                            : process.waitFor((long) JsValues.number(timeout, "waitFor(timeoutMs)")));
                }))
                .member("kill", action(a -> process.kill()));
    }

    /** What {@code connect(url, token)} gives a script: a primary to invoke, poll and publish to. */
    private HostProxy primary(RemotePrimary primary) {
        return new HostProxy()
                .member("invoke", function(a -> cx().toJs(primary.invoke(JsValues.string(arg(a, 0)), map(arg(a, 1))))))
                .member("start", function(a -> cx().toJs(primary.start(JsValues.string(arg(a, 0)), map(arg(a, 1))))))
                .member("poll", function(a -> cx().toJs(primary.poll(JsValues.string(arg(a, 0))))))
                .member("server", function(a -> cx().toJs(primary.server())))
                .member("push", function(a -> cx().toJs(primary.push(JsValues.string(arg(a, 0)), JsValues.string(arg(a, 1))))));
    }

    private ProxyExecutable function(Body body) {
        return args -> {
            try {
                return body.call(args);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScriptStoppedError();
            } catch (PolyglotException | ScriptException | RefusedException e) {
                // A script's own error (from an include, a library) or a refusal: passed on as it is.
                throw e;
            } catch (RuntimeException e) {
                throw cx().fail(JsErrors.javaMessage(e));
            }
        };
    }

    private ProxyExecutable action(Action action) {
        return function(args -> {
            action.run(args);
            return null;
        });
    }

    /**
     * The context of the calling thread. Handles (a process, a thread) are Java objects that a script may hand to
     * another thread, so their functions answer in the caller's context, not the one they were made in.
     */
    private JsContext cx() {
        JsContext current = run.current();
        return current != null ? current : context;
    }

    /** Argument {@code i}, or null when the script passed fewer. */
    private static Value arg(Value[] args, int i) {
        return i < args.length ? args[i] : null;
    }

    private Object toJava(Value value) {
        return JsValues.toJava(value);
    }

    /** What Groovy would log for the same value; a function or the like logs as JavaScript prints it. */
    private static Object message(Value value) {
        Object java = JsValues.toJava(value);
        return java instanceof JsonValues.NotJson ? String.valueOf(value) : java;
    }

    private static Map<?, ?> statusOptions(Value value) {
        Object options = JsValues.toJava(value);
        if (options == null || options instanceof Map<?, ?>) {
            return (Map<?, ?>) options;
        }
        throw new IllegalArgumentException("status.set's options are an object such as {secret: true}, not "
                + JsValues.describe(value));
    }

    private static Map<?, ?> options(Value value) {
        Object options = JsValues.toJava(value);
        if (options == null || options instanceof Map<?, ?>) {
            return (Map<?, ?>) options;
        }
        throw new IllegalArgumentException("process options are an object such as {dir: '/tmp'}, not "
                + JsValues.describe(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Value value) {
        Object v = JsValues.toJava(value);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("arguments are an object such as {env: 'lab'}, not " + JsValues.describe(value));
    }
}
