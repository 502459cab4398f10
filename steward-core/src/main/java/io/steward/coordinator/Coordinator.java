package io.steward.coordinator;

import io.steward.coordination.Coordination;

import io.steward.engine.CompiledScript;
import io.steward.engine.Engine;
import io.steward.engine.JsonValues;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptNames;
import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;
import io.steward.process.LocalProcesses;
import io.steward.process.ProcessInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The kernel of a node: turns invoke requests into runs and answers for them.
 *
 * <p>{@link #invoke} passes the request through the launcher, loads and compiles the script (cached), and starts
 * the run's main script thread; it returns as soon as the run is RUNNING. Compile errors, unknown scripts, bad
 * arguments and refusals are thrown from {@code invoke} itself, before any run exists, so that bad input changes
 * nothing. Runs in progress and the most recent finished ones are kept in memory; the store keeps the rest.
 */
public final class Coordinator implements AutoCloseable {
    private final Engine engine;
    private final ScriptSource scripts;
    private final LocalProcesses processes;
    private final boolean ownsProcesses;
    private final ScheduledExecutorService timers;
    private final RunServices services;
    private final Map<String, Run> active = new ConcurrentHashMap<>();
    private final Map<String, Run> finished;
    private volatile Launcher launcher;

    private Coordinator(Builder b) {
        this.engine = b.engine != null ? b.engine : new Engine();
        this.scripts = b.scripts;
        this.ownsProcesses = b.processes == null;
        this.processes = ownsProcesses ? new LocalProcesses() : b.processes;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "steward-run-timers");
            t.setDaemon(true);
            return t;
        });
        int keep = b.finishedRunsKept;
        this.finished = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
                return size() > keep;
            }
        });
        NodeInfo node = b.node != null ? b.node : NodeInfo.local(null, Map.of());
        this.services = new RunServices(engine, scripts, processes, timers, b.sink, node, b.historyLimit, b.stopGrace, b.cancelGrace,
                b.fleet, this::ended, b.callbacks, b.coordination != null ? b.coordination : io.steward.coordination.LocalCoordination.inMemory(),
                b.eventLimits);
        this.launcher = b.launcher != null ? Launcher.load(engine, b.launcher) : Launcher.load(engine, scripts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a run.
     *
     * @throws IllegalArgumentException              bad script name, arguments or timeout
     * @throws io.steward.engine.ScriptNotFoundException no such script
     * @throws io.steward.engine.ScriptCompileException  the script does not compile
     * @throws LauncherUnavailableException          the launcher failed to load
     * @throws InvokeRefusedException                the launcher refused the request
     * @throws LauncherFailedException               the launcher threw
     */
    public RunHandle invoke(InvokeRequest request) throws InterruptedException {
        return invoke(request, true);
    }

    /**
     * As {@link #invoke}, but the run stays QUEUED until {@link #release} starts it: how a concurrency limit keeps a
     * run waiting for a slot. A queued run can be cancelled (it ends CANCELLED without having run); it counts as
     * live, so {@link #close} cancels it and a restart finds it LOST.
     */
    public RunHandle invokeQueued(InvokeRequest request) throws InterruptedException {
        return invoke(request, false);
    }

    /** Starts a run {@link #invokeQueued} left QUEUED; {@code false} when it is unknown, started, or was cancelled. */
    public boolean release(String runId) {
        Run run = active.get(runId);
        return run != null && run.start();
    }

    private RunHandle invoke(InvokeRequest request, boolean start) throws InterruptedException {
        ScriptNames.check(request.script(), engine.extensions());
        Map<String, Object> args = JsonValues.copyMap("args", request.args());
        InvokeRequest accepted = launcher.apply(new InvokeRequest(request.script(), request.version(), args,
                request.timeout(), request.invoker()), engine, scripts, services.node())
                .withId(request.id()).withParent(request.parent()).withFanOut(request.fanOut())
                // The launcher never sees secret args, so it cannot drop or leak them either.
                .withSecretArgs(JsonValues.copyMap("secretArgs", request.secretArgs()))
                .withAnsweredAtEnd(request.answeredAtEnd());
        if (request.id() != null && find(request.id()) != null) {
            throw new IllegalArgumentException("a run with id '" + request.id() + "' already exists");
        }
        ScriptNames.check(accepted.script(), engine.extensions());
        ScriptText text = scripts.load(accepted.script(), accepted.version());
        // A fan-out's parent shows the target script but runs the built-in fan-out, which starts the children.
        CompiledScript compiled = engine.compile(accepted.fanOut() == null ? text : FanOutScript.TEXT);
        String id = accepted.id() != null ? accepted.id() : RunIds.next();
        if (accepted.answeredAtEnd()) {
            services.sink().holdUntilEnd(id); // before the run is created: its very first record may wait too
        }
        Run run = new Run(id, accepted, text, compiled, JsonValues.copyMap("args", accepted.args()), services);
        active.put(run.id(), run);
        if (!accepted.answeredAtEnd()) {
            admit(run);
        }
        if (start) {
            run.start();
        }
        return new RunHandle(run);
    }

    /**
     * Waits until the store has the new run's record, so that nobody is told of a run a crash could take back. A run
     * the store cannot record never starts: it ends CANCELLED (which the store skips, or records if it catches up)
     * and the invoker gets the store's failure.
     */
    private void admit(Run run) throws InterruptedException {
        try {
            services.sink().admit(run.id());
        } catch (RuntimeException | InterruptedException notRecorded) {
            run.stop(RunState.CANCELLED, "not started: the store could not record the run");
            throw notRecorded;
        }
    }

    /** Cancels a live run; {@code false} when it is unknown or already ended. */
    public boolean cancel(String runId, String reason) {
        Run run = active.get(runId);
        return run != null && run.stop(RunState.CANCELLED, reason == null || reason.isBlank() ? "cancelled" : "cancelled: " + reason);
    }

    /**
     * Delivers a message (a JSON-compatible value) to a live run's inbox and records it as a {@code message}
     * event; returns that event's seq.
     *
     * @throws RunNotFoundException     when the run is not known
     * @throws RunEndedException        when the run has ended or is stopping
     * @throws IllegalArgumentException when the message is not JSON-compatible
     */
    public long send(String runId, Object message) {
        Run run = find(runId);
        if (run == null) {
            throw new RunNotFoundException(runId);
        }
        return run.send(JsonValues.copy("the message", message));
    }

    public Optional<RunSnapshot> snapshot(String runId) {
        Run run = find(runId);
        return run == null ? Optional.empty() : Optional.of(run.snapshot());
    }

    /** The handle of a run still known in memory. */
    public Optional<RunHandle> handle(String runId) {
        Run run = find(runId);
        return run == null ? Optional.empty() : Optional.of(new RunHandle(run));
    }

    /** Runs in progress and the most recent finished ones, newest first. */
    public List<RunSnapshot> runs() {
        List<Run> all = new ArrayList<>(active.values());
        synchronized (finished) {
            all.addAll(finished.values());
        }
        return all.stream().map(Run::snapshot).sorted(Comparator.comparing(RunSnapshot::id).reversed()).toList();
    }

    public int activeRuns() {
        return active.size();
    }

    /**
     * Follows a run's events after {@code afterSeq} (0 for all that are still in memory).
     *
     * @throws RunNotFoundException when the run is not known
     */
    public Subscription subscribe(String runId, long afterSeq, int capacity) {
        Run run = find(runId);
        if (run == null) {
            throw new RunNotFoundException(runId);
        }
        return run.subscribe(afterSeq, capacity);
    }

    /** Every live local process on this node. */
    public List<ProcessInfo> processes() {
        return processes.list();
    }

    public NodeInfo node() {
        return services.node();
    }

    public Engine engine() {
        return engine;
    }

    /** Whether the launcher is loaded, and if not, why. */
    public Optional<ScriptError> launcherError() {
        return Optional.ofNullable(launcher.loadError());
    }

    /** Loads the launcher again from the script source (after a fixed one was pushed). */
    public Optional<ScriptError> reloadLauncher() {
        launcher = Launcher.load(engine, scripts);
        return launcherError();
    }

    /** Loads the given launcher source instead of the stored one. */
    public Optional<ScriptError> reloadLauncher(ScriptText text) {
        launcher = Launcher.load(engine, text);
        return launcherError();
    }

    Run find(String runId) {
        Run run = active.get(runId);
        return run != null ? run : finished.get(runId);
    }

    private void ended(Run run) {
        finished.put(run.id(), run);
        active.remove(run.id());
        // however it ended: no lock, permit or pool entry outlives its run
        services.coordination().runEnded(run.id());
    }

    /**
     * Cancels every live run, waits (at most the stop grace and a little more) until they have ended, so that their
     * final events reach the sink, and kills every local process.
     */
    @Override
    public void close() {
        List<Run> live = List.copyOf(active.values());
        for (Run run : live) {
            run.stop(RunState.CANCELLED, "the node is shutting down");
        }
        long deadline = System.nanoTime() + services.stopGrace().plus(services.cancelGrace()).plusSeconds(1).toNanos();
        for (Run run : live) {
            try {
                run.completion().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // ends without it; the store marks it LOST on the next start
            }
        }
        if (ownsProcesses) {
            processes.close();
        }
        timers.shutdownNow();
    }

    /** Configures a coordinator; every setting has a working default. */
    public static final class Builder {
        private Engine engine;
        private ScriptSource scripts = ScriptSource.EMPTY;
        private LocalProcesses processes;
        private NodeInfo node;
        private EventSink sink = EventSink.NONE;
        private int historyLimit = 10_000;
        private int finishedRunsKept = 1_000;
        private Duration stopGrace = Duration.ofSeconds(5);
        private Duration cancelGrace = Duration.ofSeconds(10);
        private ScriptText launcher;
        private io.steward.engine.Fleet fleet = io.steward.engine.Fleet.NONE;
        private RunCallbacks callbacks = RunCallbacks.NONE;
        private Coordination coordination;
        private EventLimits eventLimits = EventLimits.NONE;

        /** The size and rate limits on what runs publish (default: none). */
        public Builder eventLimits(EventLimits limits) {
            this.eventLimits = limits;
            return this;
        }

        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        public Builder scripts(ScriptSource scripts) {
            this.scripts = scripts;
            return this;
        }

        public Builder processes(LocalProcesses processes) {
            this.processes = processes;
            return this;
        }

        public Builder node(NodeInfo node) {
            this.node = node;
            return this;
        }

        /** Where every event goes, losslessly (the store). */
        public Builder eventSink(EventSink sink) {
            this.sink = sink;
            return this;
        }

        /** How many recent events per run stay in memory for late followers. */
        public Builder historyLimit(int events) {
            this.historyLimit = events;
            return this;
        }

        public Builder finishedRunsKept(int runs) {
            this.finishedRunsKept = runs;
            return this;
        }

        /** How long a stopped run's threads get to end before the run ends without them. */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        /** How long a cancelled run's {@code onCancel} handlers get before its threads and processes are stopped. */
        public Builder cancelGrace(Duration grace) {
            this.cancelGrace = grace;
            return this;
        }

        /** The other nodes, for {@code nodes}, {@code runOn} and {@code connect} (the primary's agents). */
        /**
         * The variables, locks, queues and pools runs share ({@code vars}, {@code lock}, …): the primary's, kept in its
         * store. Default: a fresh in-memory one, as a node that is alone needs.
         */
        public Builder coordination(Coordination coordination) {
            this.coordination = coordination;
            return this;
        }

        public Builder fleet(io.steward.engine.Fleet fleet) {
            this.fleet = fleet;
            return this;
        }

        /**
         * How the local processes of a run call back into it: the variables they get ({@link RunTokens} on a node
         * with a callback endpoint). Default {@link RunCallbacks#NONE}: no variables.
         */
        public Builder callbacks(RunCallbacks callbacks) {
            this.callbacks = callbacks;
            return this;
        }

        /** A launcher source to use instead of the stored {@code _launcher.groovy}. */
        public Builder launcher(ScriptText launcher) {
            this.launcher = launcher;
            return this;
        }

        public Coordinator build() {
            return new Coordinator(this);
        }
    }
}
