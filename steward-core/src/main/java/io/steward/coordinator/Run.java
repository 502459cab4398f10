package io.steward.coordinator;

import io.steward.engine.CompiledScript;
import io.steward.engine.DataMap;
import io.steward.engine.HostObject;
import io.steward.engine.JsonValues;
import io.steward.engine.RefusedException;
import io.steward.engine.RunContext;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptLog;
import io.steward.engine.ScriptStoppedError;
import io.steward.engine.ScriptText;
import io.steward.engine.ScriptThread;
import io.steward.engine.ScriptThreads;
import io.steward.engine.StatusBoard;
import io.steward.process.ExecResult;
import io.steward.process.LocalProcess;
import io.steward.process.ProcessInfo;
import io.steward.process.ProcessListener;
import io.steward.process.ProcessSpec;
import io.steward.process.StdStream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One execution of a script on this node: its state, data, threads, processes and timeline.
 *
 * <p>A run ends when its last script thread ends. The first failure of any thread decides the outcome (FAILED,
 * with that thread's script, line and message); cancel and timeout decide it likewise. Deciding the outcome stops
 * the run: no new threads, every live thread interrupted, every local process tree killed. If threads ignore the
 * interrupt for {@code stopGrace}, the run ends anyway so that a stuck script cannot hold its outcome back.
 */
final class Run implements RunContext, ScriptThreads.Listener, ProcessListener {
    private final String id;
    private final InvokeRequest request;
    private final ScriptText script;
    private final CompiledScript compiled;
    private final RunServices services;
    /** What the script sees: the args and the secret args together, unmasked. */
    private final Map<String, Object> args;
    private final RunSecrets secrets;
    private final EventLog events;
    private final RunDataMap shared;
    private final RunDataMap priv;
    private final RunStatusBoard status;
    private final RunLog log;
    private final ScriptThreads threads;
    private final HostObject host;
    private final RunInbox inbox = new RunInbox();
    private final List<java.util.concurrent.Callable<Object>> cancelHandlers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<RunSnapshot> completion = new CompletableFuture<>();
    private final Instant createdAt = Instant.now();

    private RunState state = RunState.QUEUED;
    private Instant startedAt;
    private Instant endedAt;
    private volatile Object mainValue;
    private Object result;
    private ScriptError error;
    /** The outcome decided by a failure, cancel or timeout before the threads have all ended. */
    private RunState decided;
    private ScheduledFuture<?> timeout;
    private boolean finished;
    /** What every local process of this run gets in its environment to call back into it (none before start). */
    /** Opened at the run's first process: runs that launch none (most) never mint a token. */
    private volatile Map<String, String> callbackEnv;

    Run(String id, InvokeRequest request, ScriptText script, CompiledScript compiled, Map<String, Object> args,
        RunServices services) {
        this.id = id;
        this.request = request;
        this.script = script;
        this.compiled = compiled;
        this.secrets = RunSecrets.of(request.secretArgs());
        this.args = withSecretArgs(args, request.secretArgs());
        this.services = services;
        this.events = new EventLog(id, services.sink(), services.historyLimit(), secrets, services.eventLimits());
        this.shared = new RunDataMap("shared", events);
        this.priv = new RunDataMap("private", null);
        this.status = new RunStatusBoard(events, secrets);
        this.log = new RunLog(events);
        this.threads = new ScriptThreads(id, this);
        this.host = new HostObject(this, threads, services.engine());
        Map<String, Object> queued = new LinkedHashMap<>();
        queued.put("state", RunState.QUEUED.name());
        queued.put("script", script.name());
        queued.put("version", (long) script.version());
        queued.put("args", secrets.maskArgs(this.args));
        events.append("state", Collections.unmodifiableMap(queued));
        services.sink().runCreated(snapshot());
    }

    private static Map<String, Object> withSecretArgs(Map<String, Object> args, Map<String, Object> secretArgs) {
        if (secretArgs.isEmpty()) {
            return args;
        }
        Map<String, Object> all = new LinkedHashMap<>(args);
        all.putAll(secretArgs);
        return Collections.unmodifiableMap(all);
    }

    /** Starts the run; {@code false} when it has started already or its outcome (a cancel) is decided. */
    boolean start() {
        synchronized (this) {
            if (state != RunState.QUEUED || decided != null) {
                return false;
            }
            state = RunState.RUNNING;
            startedAt = Instant.now();
            events.append("state", Map.of("state", RunState.RUNNING.name()));
            if (request.timeout() != null) {
                timeout = services.timers().schedule(() -> stop(RunState.TIMED_OUT,
                                "timed out after " + describe(request.timeout())),
                        request.timeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        threads.start(() -> {
            mainValue = compiled.run(host);
            return null;
        });
        return true;
    }

    // ---- outcome ----

    /** Decides the outcome {@code outcome} unless one is decided already, and stops the run. */
    boolean stop(RunState outcome, String why) {
        boolean neverStarted;
        synchronized (this) {
            if (finished || decided != null) {
                return false;
            }
            decided = outcome;
            error = new ScriptError(script.name(), 0, 0, why);
            neverStarted = state == RunState.QUEUED;
        }
        if (neverStarted) {
            // Held QUEUED by a concurrency limit: no thread or process to wait for, so it ends at once.
            finish();
            return true;
        }
        if (outcome == RunState.CANCELLED && !cancelHandlers.isEmpty() && services.cancelGrace().isPositive()) {
            cleanUpThenHalt();
        } else {
            halt();
        }
        return true;
    }

    /**
     * Runs the {@code onCancel} handlers on a script thread and halts the run when they are done or the cancel
     * grace has passed, whichever is first. The caller of cancel does not wait.
     */
    private void cleanUpThenHalt() {
        ScriptThread cleanup;
        try {
            cleanup = threads.start(() -> {
                for (java.util.concurrent.Callable<Object> handler : List.copyOf(cancelHandlers)) {
                    try {
                        handler.call();
                    } catch (InterruptedException | ScriptStoppedError stopped) {
                        throw stopped;
                    } catch (Exception | Error failure) {
                        log.warn("an onCancel handler failed: " + describe(failure).message());
                    }
                }
                return null;
            });
        } catch (ScriptStoppedError stopping) {
            halt();
            return;
        }
        Thread.ofVirtual().name("run-" + id + "/cancel-grace").start(() -> {
            try {
                cleanup.awaitEnd(services.cancelGrace().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                halt();
            }
        });
    }

    /**
     * Delivers a message to the run's inbox and records it as a {@code message} event; returns the event's seq.
     *
     * @throws RunEndedException when the run has ended or is stopping
     */
    long send(Object message) {
        synchronized (this) {
            if (finished || decided != null) {
                throw new RunEndedException("run " + id + (finished ? " has already ended as " + state
                        : " is stopping (" + decided + ")") + ": messages go to running runs only");
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", message);
        long seq = events.append("message", Collections.unmodifiableMap(data)).seq();
        inbox.deliver(message);
        return seq;
    }

    private void fail(Throwable failure) {
        synchronized (this) {
            if (finished || decided != null) {
                return;
            }
            decided = RunState.FAILED;
            error = describe(failure);
        }
        halt();
    }

    private void halt() {
        threads.stop();
        services.processes().killOwnedBy(id);
        services.timers().schedule(this::finish, services.stopGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void finish() {
        RunSnapshot last;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            // The run's credentials die with it, before anyone can see it ended.
            services.callbacks().close(id);
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (decided == null) {
                try {
                    result = JsonValues.copy("the result of " + script.name(), mainValue);
                    decided = RunState.SUCCEEDED;
                } catch (IllegalArgumentException notJson) {
                    decided = RunState.FAILED;
                    error = new ScriptError(script.name(), 0, 0, notJson.getMessage());
                }
            }
            state = decided;
            endedAt = Instant.now();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("state", state.name());
            if (state == RunState.SUCCEEDED) {
                data.put("result", result);
            } else {
                data.put("error", error.toMap());
            }
            events.append("state", Collections.unmodifiableMap(data));
            events.end();
            last = snapshot();
            services.sink().runEnded(last);
        }
        // A thread may have ignored the interrupt past the grace period: its processes still go.
        services.processes().killOwnedBy(id);
        services.onEnded().accept(this);
        completion.complete(last);
    }

    private ScriptError describe(Throwable failure) {
        if (failure instanceof ScriptException se) {
            return se.error();
        }
        if (failure instanceof RefusedException refused) {
            return new ScriptError(script.name(), 0, 0, "refused: " + refused.getMessage());
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new ScriptError(script.name(), 0, 0, message);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    // ---- ScriptThreads.Listener ----

    @Override
    public void started(ScriptThread thread) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", thread.name());
        data.put("action", "started");
        if (thread.parent() != null) {
            data.put("parent", thread.parent()); // for the timeline's lanes, grouped by who spawned them
        }
        events.append("thread", Collections.unmodifiableMap(data));
    }

    @Override
    public void ended(ScriptThread thread, Object value, Throwable failure) {
        boolean stopFailure = failure instanceof InterruptedException || failure instanceof ScriptStoppedError;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", thread.name());
        data.put("action", "ended");
        if (failure != null && !stopFailure) {
            data.put("error", describe(failure).toString());
        }
        events.append("thread", Collections.unmodifiableMap(data));
        if (failure != null && !(stopFailure && threads.stopping())) {
            fail(failure);
        }
    }

    @Override
    public void allEnded() {
        finish();
    }

    // ---- ProcessListener: local processes report back into the run (claim 37) ----

    @Override
    public void started(ProcessInfo process) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", "started");
        data.put("pid", process.pid());
        data.put("command", process.command());
        ScriptThread launcher = ScriptThread.current();
        if (launcher != null) {
            data.put("thread", launcher.name()); // launched on the caller's thread: the timeline nests it there
        }
        events.append("process", Collections.unmodifiableMap(data));
    }

    @Override
    public void output(ProcessInfo process, StdStream stream, String line) {
        events.admit(null, null); // paced like every published event; the pump has cut the line to size already
        events.append("output", Map.of("pid", process.pid(), "stream", stream.key(), "line", line));
    }

    @Override
    public void exited(ProcessInfo process, ExecResult r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", "exited");
        data.put("pid", process.pid());
        data.put("exitCode", (long) r.exitCode());
        data.put("durationMs", r.durationMs());
        data.put("timedOut", r.timedOut());
        data.put("killed", r.killed());
        events.append("process", Collections.unmodifiableMap(data));
    }

    // ---- RunContext: what the host object asks of the coordinator ----

    @Override
    public String runId() {
        return id;
    }

    @Override
    public String scriptName() {
        return script.name();
    }

    @Override
    public Map<String, Object> args() {
        return args;
    }

    @Override
    public Map<String, Object> node() {
        return services.node().toMap();
    }

    @Override
    public DataMap shared() {
        return shared;
    }

    @Override
    public DataMap priv() {
        return priv;
    }

    @Override
    public StatusBoard status() {
        return status;
    }

    @Override
    public ScriptLog log() {
        return log;
    }

    @Override
    public LocalProcess launch(ProcessSpec spec) {
        if (threads.stopping()) {
            throw new ScriptStoppedError();
        }
        LocalProcess process = services.processes().launch(withCallbacks(spec), id, this);
        if (threads.stopping()) {
            // The run was stopped while this process was starting: it must not outlive the kill that missed it.
            process.kill();
        }
        return process;
    }

    private Map<String, String> callbackEnv() {
        Map<String, String> env = callbackEnv;
        if (env == null) {
            synchronized (this) {
                // Checked under the lock finish() closes the callbacks with: an ended run opens none again.
                if (callbackEnv == null) {
                    callbackEnv = finished ? Map.of() : services.callbacks().open(id);
                }
                env = callbackEnv;
            }
        }
        return env;
    }

    /** The callback variables under the script's own {@code env}: a script that sets one explicitly means it. */
    private ProcessSpec withCallbacks(ProcessSpec spec) {
        Map<String, String> env = callbackEnv();
        if (env.isEmpty()) {
            return spec;
        }
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(spec.env());
        return spec.withEnv(merged);
    }

    @Override
    public io.steward.engine.Inbox inbox() {
        return inbox;
    }

    @Override
    public void onCancel(java.util.concurrent.Callable<Object> handler) {
        cancelHandlers.add(handler);
    }

    @Override
    public ScriptText loadScript(String name) {
        return services.scripts().load(name);
    }

    // ---- children of a fan-out (runOn) ----

    private final Map<String, Map<String, Object>> children = new java.util.LinkedHashMap<>();

    @Override
    public io.steward.coordination.Coordination coordination() {
        return services.coordination().forRun(id());
    }

    @Override
    public io.steward.engine.Fleet fleet() {
        return services.fleet();
    }

    @Override
    public Map<String, Object> globals() {
        if (request.fanOut() == null) {
            return Map.of();
        }
        Map<String, Object> fanOut = new LinkedHashMap<>(request.fanOut());
        fanOut.put("script", script.name());
        fanOut.put("version", (long) script.version());
        if (!request.secretArgs().isEmpty()) {
            // runOn hands every child the args; these names tell it which of them stay secret there too.
            fanOut.put("secretArgs", List.copyOf(request.secretArgs().keySet()));
        }
        return Map.of("fanout", fanOut);
    }

    /**
     * Records the latest known state of a child run (id, node, state, result, error), for snapshots: all five, a
     * missing result or error as null, as the API's record of a child writes them.
     */
    @Override
    public synchronized void child(Map<String, Object> child) {
        Map<String, Object> known = new LinkedHashMap<>();
        for (String field : CHILD_FIELDS) {
            known.put(field, child.get(field));
        }
        children.put((String) child.get("id"), java.util.Collections.unmodifiableMap(known));
    }

    private static final List<String> CHILD_FIELDS = List.of("id", "node", "state", "result", "error");

    private List<Map<String, Object>> children() {
        return List.copyOf(children.values());
    }

    // ---- reading ----

    String id() {
        return id;
    }

    long lastSeq() {
        return events.lastSeq();
    }

    synchronized RunState state() {
        return state;
    }

    CompletableFuture<RunSnapshot> completion() {
        return completion;
    }

    Subscription subscribe(long afterSeq, int capacity) {
        return events.subscribe(afterSeq, capacity);
    }

    synchronized RunSnapshot snapshot() {
        List<Map<String, Object>> threadList = new ArrayList<>();
        if (!finished) {
            for (ScriptThread t : threads.live()) {
                threadList.add(Map.of("name", t.name(), "startedAt", t.startedAt().toString()));
            }
        }
        List<Map<String, Object>> processList = new ArrayList<>();
        for (ProcessInfo p : services.processes().ownedBy(id)) {
            processList.add(Map.of("pid", p.pid(), "command", p.command(), "startedAt", p.startedAt().toString()));
        }
        ScriptError shownError = state.isTerminal() && error != null ? new ScriptError(error.script(), error.line(),
                error.column(), secrets.mask(error.message())) : null;
        return new RunSnapshot(id, script.name(), script.version(), state, secrets.maskArgs(args),
                secrets.mask(shared.asMap()), status.values(), secrets.mask(status.progress()), threadList,
                threads.startedCount(), secrets.mask(processList), createdAt, startedAt, endedAt, secrets.mask(result),
                shownError, services.node().name(), request.parent(), children(),
                request.invoker(), events.lastSeq());
    }
}
