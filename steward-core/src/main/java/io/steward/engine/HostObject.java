package io.steward.engine;

import io.steward.process.ExecResult;
import io.steward.process.LocalProcess;
import io.steward.process.ProcessSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The global object of a run (claims 32–35): what a script reaches by every name it does not define itself.
 *
 * <p>This class is the one language-neutral API; each {@link ScriptLanguage} maps it onto its own idioms
 * (Groovy through a {@code Binding} and a script base class, JavaScript through the global scope) so that both
 * languages see the same members with the same outcomes. Everything that leaves the run goes through the
 * {@link RunContext}, that is, through the coordinator.
 */
public final class HostObject {

    /** The names a script can resolve through the host object, in every language. */
    public static final Set<String> MEMBERS = Set.of("args", "runId", "node", "log", "shared", "priv", "status",
            "spawn", "parallel", "exec", "start", "include", "sleep", "now", "refuse", "nodes", "runOn", "connect",
            "inbox", "onMessage", "onCancel", "vars", "lock", "semaphore", "event", "queue", "pool");

    private static final Set<String> EXEC_OPTIONS = Set.of("dir", "env", "stdin", "timeout", "check", "maxOutput");

    private final RunContext context;
    private final ScriptThreads threads;
    private final Engine engine;
    private final Map<Object, Object> attachments = new ConcurrentHashMap<>();
    private final Includes includes;

    public HostObject(RunContext context, ScriptThreads threads, Engine engine) {
        this.context = context;
        this.threads = threads;
        this.engine = engine;
        this.includes = new Includes(context.scriptName());
    }

    public String runId() {
        return context.runId();
    }

    public String scriptName() {
        return context.scriptName();
    }

    public Map<String, Object> args() {
        return context.args();
    }

    public Map<String, Object> node() {
        return context.node();
    }

    public ScriptLog log() {
        return context.log();
    }

    public DataMap shared() {
        return context.shared();
    }

    public DataMap priv() {
        return context.priv();
    }

    public StatusBoard status() {
        return context.status();
    }

    /** The messages sent to this run: {@code take(timeoutMs)} and {@code poll()}. */
    public Inbox inbox() {
        return context.inbox();
    }

    /**
     * Runs {@code handler} on a new script thread for each message sent to this run, beginning with those already
     * waiting; from now on {@code inbox.take}/{@code poll} see no more messages. A failing handler fails the run,
     * as any script thread does. Handlers do not keep a run alive: it still ends when its last thread ends.
     */
    public void onMessage(Function<Object, Object> handler) {
        if (handler == null) {
            throw new IllegalArgumentException("onMessage takes a function of the message");
        }
        context.inbox().listen(message -> {
            try {
                threads.start(() -> handler.apply(message));
            } catch (ScriptStoppedError stopping) {
                // the run is stopping: the message goes unhandled
            }
        });
    }

    /**
     * Registers a cleanup run when the run is cancelled: the handlers run on a script thread within a grace period
     * before the run's threads are interrupted and its processes killed. Timeouts and failures do not run them.
     */
    public void onCancel(Callable<Object> handler) {
        if (handler == null) {
            throw new IllegalArgumentException("onCancel takes a function");
        }
        context.onCancel(handler);
    }

    /** Extra globals of this context (the launcher's {@code request}). */
    public Map<String, Object> globals() {
        return context.globals();
    }

    /** Starts a script thread; {@link ScriptThread#join()} returns what {@code body} returns. */
    public ScriptThread spawn(Callable<Object> body) {
        return threads.start(body);
    }

    /**
     * Runs {@code body} once per item, each in its own script thread, and returns the results in item order.
     * A failure in any of them fails the run at once, which stops the others.
     */
    public List<Object> parallel(Collection<?> items, Function<Object, Object> body) throws InterruptedException {
        List<ScriptThread> started = new ArrayList<>(items.size());
        for (Object item : items) {
            started.add(threads.start(() -> body.apply(item)));
        }
        List<Object> results = new ArrayList<>(started.size());
        for (ScriptThread t : started) {
            results.add(t.join());
        }
        return results;
    }

    /**
     * Runs a local process to its end: a string is a shell command line, a list is an argv.
     * Returns {@code exitCode, stdout, stderr, durationMs, pid} and flags; a non-zero exit code is a result
     * unless {@code check: true} is given.
     */
    public Map<String, Object> exec(Object command, Map<?, ?> options) throws InterruptedException {
        Map<String, Object> opts = options(options);
        LocalProcess process = context.launch(spec(command, opts));
        ExecResult result = process.waitFor();
        if (Boolean.TRUE.equals(opts.get("check")) && (result.exitCode() != 0 || result.timedOut())) {
            String stderr = result.stderr().strip();
            throw new ExecFailedException("command " + process.info().command() + (result.timedOut()
                    ? " timed out after " + opts.get("timeout") + " ms"
                    : " exited with " + result.exitCode()) + (stderr.isEmpty() ? "" : ": " + tail(stderr)));
        }
        return result.toMap();
    }

    /** Starts a local process and returns at once with a handle on it. */
    public ScriptProcess start(Object command, Map<?, ?> options) {
        Map<String, Object> opts = options(options);
        if (opts.containsKey("check")) {
            throw new IllegalArgumentException("start(…) does not take 'check': inspect waitFor()'s exitCode instead");
        }
        return new ScriptProcess(context.launch(spec(command, opts)));
    }

    /**
     * Evaluates another script in this run as a library and returns its value; same-language scripts share
     * globals, and each language makes what a library defines reachable from the run's scripts. A name is
     * evaluated once per run: later includes, from any script thread, return the first evaluation's value, and an
     * include of a name another thread is evaluating waits for it. A failed include is not remembered. Including a
     * script that is still being included is an {@link IncludeCycleException} naming the chain.
     */
    public Object include(String name) throws InterruptedException {
        return includes.include(name, () -> engine.compile(context.loadScript(name)).include(this));
    }

    public void sleep(long millis) throws InterruptedException {
        Thread.sleep(Math.max(0, millis));
    }

    public long now() {
        return System.currentTimeMillis();
    }

    /** Node infos of the nodes a selector matches. */
    public List<Map<String, Object>> nodes(String selector) {
        return context.fleet().nodes(selector);
    }

    /**
     * Runs a script on every node a selector matches, one child run each, and returns node name → result. The
     * run's status value {@code children} counts the children per state while they run. If any child ends other
     * than SUCCEEDED this throws, naming each failed node; the children stay visible in the run's snapshot.
     */
    public Map<String, Object> runOn(String selector, String script, Map<?, ?> args, Map<?, ?> options)
            throws InterruptedException {
        // Each child's last state, and the count per state kept as they change: a fan-out to n agents sees about
        // 3n changes, and recounting every child on each made it quadratic (seconds of CPU at 10,000 agents).
        Map<String, String> stateOf = new java.util.HashMap<>();
        Map<String, Long> perState = new java.util.TreeMap<>();
        List<Map<String, Object>> children = context.fleet().runOn(context.runId(), selector, script,
                JsonValues.copyMap("args", args), JsonValues.copyMap("options", options), child -> {
                    context.child(child);
                    synchronized (perState) {
                        String state = String.valueOf(child.get("state"));
                        String before = stateOf.put((String) child.get("id"), state);
                        if (before != null && perState.merge(before, -1L, Long::sum) == 0) {
                            perState.remove(before);
                        }
                        perState.merge(state, 1L, Long::sum);
                        context.status().set("children", new java.util.TreeMap<String, Object>(perState));
                    }
                });
        Map<String, Object> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Map<String, Object> child : children) {
            String node = String.valueOf(child.get("node"));
            results.put(node, child.get("result"));
            if (!"SUCCEEDED".equals(child.get("state"))) {
                Object error = child.get("error") instanceof Map<?, ?> e ? e.get("message") : child.get("error");
                failures.add(node + " " + child.get("state") + (error == null ? "" : ": " + error));
            }
        }
        if (!failures.isEmpty()) {
            throw new FanOutFailedException(failures.size() + " of " + children.size() + " nodes did not succeed: "
                    + String.join("; ", failures));
        }
        return results;
    }

    // ---- coordination: shared with every run, on every node, and with clients (io.steward.coordination) ----

    private io.steward.coordination.Party party() {
        Object name = context.node().get("name");
        return new io.steward.coordination.Party(context::coordination, context.runId(), name == null ? null : name.toString());
    }

    /** The global variables ({@code vars.node}: this node's). */
    public io.steward.coordination.VarsHandle vars() {
        return new io.steward.coordination.VarsHandle(party(), "global");
    }

    /**
     * Runs {@code body} holding mutex {@code name}, waiting up to {@code timeoutMs} (null: as long as it takes), and
     * returns its value.
     */
    public Object lock(String name, Number timeoutMs, Callable<Object> body) throws Exception {
        return new io.steward.coordination.SemaphoreHandle(party(), name, 1).acquire(timeoutMs, body);
    }

    /** A counting semaphore of {@code permits} permits. */
    public io.steward.coordination.SemaphoreHandle semaphore(String name, Number permits) {
        if (permits == null || permits.longValue() < 1 || permits.longValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be 1 or more, not " + permits);
        }
        return new io.steward.coordination.SemaphoreHandle(party(), name, permits.intValue());
    }

    public io.steward.coordination.EventHandle event(String name) {
        return new io.steward.coordination.EventHandle(party(), name);
    }

    public io.steward.coordination.QueueHandle queue(String name) {
        return new io.steward.coordination.QueueHandle(party(), name);
    }

    public io.steward.coordination.PoolHandle pool(String name) {
        return new io.steward.coordination.PoolHandle(party(), name);
    }

    /** A client of a primary (claim 16). */
    public RemotePrimary connect(String url, String token) {
        return context.fleet().connect(url, token);
    }

    /** Declines the request: the launcher's way to refuse an invoke. */
    public void refuse(Object reason) {
        throw new RefusedException(reason == null ? "refused by the launcher" : reason.toString());
    }

    /** Runs {@code hook} when the run's last script thread has ended: a language adapter frees what it kept. */
    public void whenAllEnded(Runnable hook) {
        threads.whenAllEnded(hook);
    }

    /** Runs {@code hook} when the run stops: how a language adapter ends code that interrupts do not reach. */
    public void whenStopping(Runnable hook) {
        threads.whenStopping(hook);
    }

    /**
     * Per-run state a language adapter keeps beside the host object (its binding or global scope), created once.
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment(Class<T> key, Supplier<T> create) {
        return (T) attachments.computeIfAbsent(key, k -> create.get());
    }

    private static Map<String, Object> options(Map<?, ?> options) {
        Map<String, Object> opts = new LinkedHashMap<>();
        if (options == null) {
            return opts;
        }
        for (Map.Entry<?, ?> e : options.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!EXEC_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown process option '" + key + "': use " + EXEC_OPTIONS);
            }
            opts.put(key, e.getValue());
        }
        return opts;
    }

    private static ProcessSpec spec(Object command, Map<String, Object> opts) {
        ProcessSpec spec;
        if (command instanceof CharSequence line) {
            spec = ProcessSpec.shell(line.toString());
        } else if (command instanceof Collection<?> argv) {
            spec = ProcessSpec.argv(argv.stream().map(String::valueOf).toList());
        } else {
            throw new IllegalArgumentException("a command is a string (run by /bin/sh) or a list of arguments, not "
                    + JsonValues.typeName(command));
        }
        if (opts.get("dir") != null) {
            spec = spec.withDir(Path.of(opts.get("dir").toString()));
        }
        if (opts.get("env") instanceof Map<?, ?> env) {
            Map<String, String> vars = new LinkedHashMap<>();
            env.forEach((k, v) -> vars.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            spec = spec.withEnv(vars);
        } else if (opts.get("env") != null) {
            throw new IllegalArgumentException("the option 'env' must be a map of names to values");
        }
        if (opts.get("stdin") != null) {
            spec = spec.withStdin(opts.get("stdin").toString());
        }
        if (opts.get("timeout") != null) {
            spec = spec.withTimeout(Duration.ofMillis(number("timeout", opts.get("timeout"))));
        }
        if (opts.get("maxOutput") != null) {
            spec = spec.withOutputCap((int) Math.min(Integer.MAX_VALUE, number("maxOutput", opts.get("maxOutput"))));
        }
        return spec;
    }

    private static long number(String option, Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("the option '" + option + "' must be a number, not " + JsonValues.typeName(value));
    }

    private static String tail(String text) {
        return text.length() <= 500 ? text : "…" + text.substring(text.length() - 500);
    }
}
