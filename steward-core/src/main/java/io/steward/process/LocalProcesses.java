package io.steward.process;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registry of live local processes and the one place that launches them.
 *
 * <p>What watches a process is the {@link Spawner}'s: with {@link PosixSpawner}, one pooled platform thread per
 * process polls its stdout, stderr and exit together; with {@link JdkSpawner}, two virtual threads pump the
 * streams and the JDK's reaper waits for the exit.
 * Timeouts share one scheduler thread. How children are started is the spawner's business: {@code posix_spawn}
 * on Linux where JNA loads, {@link ProcessBuilder} otherwise; see {@link Spawner#select()} for the override.
 */
public final class LocalProcesses implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalProcesses.class.getName());
    /** How long output may keep flowing after the process exited (a grandchild may hold the pipe). */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);


    private final Spawner spawner;
    private final Map<Long, Entry> live = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steward-process-timeouts");
        t.setDaemon(true);
        return t;
    });

    private record Entry(ProcessInfo info, LocalProcess handle) {
    }

    /** A registry that starts processes with the spawner {@link Spawner#select()} picks for this machine. */
    public LocalProcesses() {
        this(Spawner.select());
    }

    LocalProcesses(Spawner spawner) {
        this.spawner = spawner;
    }

    /**
     * A registry with a named spawner, for benchmarks and troubleshooting: {@code posix} (glibc's
     * {@code posix_spawn}; the JDK's, with a warning, where it cannot load), {@code jdk} ({@link ProcessBuilder})
     * or {@code auto}.
     */
    public static LocalProcesses withSpawner(String name) {
        return new LocalProcesses(Spawner.byName(name));
    }

    /** The name of the spawner in use: {@code posix} or {@code jdk}. */
    public String spawner() {
        return spawner.name();
    }

    /**
     * Launches a process for the run {@code owner}. Returns once it has started; its output streams to
     * {@code listener} and its end completes {@link LocalProcess#onExit()}.
     *
     * @throws ProcessLaunchException when the program cannot be started
     * @throws IllegalStateException    when the registry is closed
     */
    public LocalProcess launch(ProcessSpec spec, String owner, ProcessListener listener) {
        if (closed) {
            throw new IllegalStateException("the local process registry is closed: no more processes are launched");
        }
        long startNanos = System.nanoTime();
        Child process;
        try {
            process = spawner.spawn(spec);
        } catch (IOException e) {
            throw new ProcessLaunchException("cannot start " + spec.argv().getFirst() + ": " + rootMessage(e)
                    + (spec.dir() != null ? " (working directory " + spec.dir() + ")" : ""), e);
        }
        ProcessInfo info = new ProcessInfo(process.pid(), spec.argv(), owner, Instant.now());
        CappedBuffer out = new CappedBuffer(spec.outputCap());
        CappedBuffer err = new CappedBuffer(spec.outputCap());
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Runnable killer = () -> {
            killed.set(true);
            process.killTree();
        };
        LocalProcess handle = new LocalProcess(process, info, out, result, killer);
        Entry entry = new Entry(info, handle);
        live.put(info.pid(), entry);
        if (closed) {
            // close() ran while this process was starting and may have missed it: it must not outlive the registry.
            killer.run();
        }
        tell(() -> listener.started(info), "started", info);

        OutputPump outPump = new OutputPump(out, line -> listener.output(info, StdStream.STDOUT, line));
        OutputPump errPump = new OutputPump(err, line -> listener.output(info, StdStream.STDERR, line));
        CompletableFuture<Integer> exit = process.watch(outPump, errPump, DRAIN_AFTER_EXIT);
        if (spec.stdin() != null) {
            process.feed(spec.stdin());
        }
        ScheduledFuture<?> timeout = null;
        if (spec.timeout() != null) {
            try {
                timeout = timers.schedule(() -> {
                    timedOut.set(true);
                    killer.run();
                }, spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                killer.run(); // the registry closed just now, and took its timers with it
            }
        }
        ScheduledFuture<?> timer = timeout;

        // On the spawner's thread: the output is drained by then, and all that is left is quick.
        exit.whenComplete((exitCode, failure) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (failure != null) { // the wait for the exit itself failed: nothing to report but that
                live.remove(info.pid(), entry);
                result.completeExceptionally(failure);
                return;
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            ExecResult r = new ExecResult(exitCode, out.text(), err.text(), out.truncated(), err.truncated(),
                    durationMs, info.pid(), timedOut.get(), killed.get());
            // Only this entry: the pid may already belong to a newer process of ours.
            live.remove(info.pid(), entry);
            tell(() -> listener.exited(info, r), "exited", info);
            result.complete(r);
        });
        return handle;
    }

    /**
     * Calls the listener. What it throws is logged and goes no further: from started() it escaped launch()
     * and left a running process that nothing read or watched; from exited() it vanished unseen.
     */
    private static void tell(Runnable call, String what, ProcessInfo info) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the process listener failed on " + what + " of pid " + info.pid()
                    + " (run " + info.owner() + ")", e);
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    /** Every live local process. */
    public List<ProcessInfo> list() {
        return live.values().stream().map(Entry::info).toList();
    }

    /** The live local processes of one run. */
    public List<ProcessInfo> ownedBy(String owner) {
        return live.values().stream().map(Entry::info).filter(p -> p.owner().equals(owner)).toList();
    }

    /** Kills the process trees of one run; returns how many processes were signalled. */
    public int killOwnedBy(String owner) {
        List<LocalProcess> doomed = new ArrayList<>();
        for (Entry e : live.values()) {
            if (e.info().owner().equals(owner)) {
                doomed.add(e.handle());
            }
        }
        doomed.forEach(LocalProcess::kill);
        return doomed.size();
    }

    /** Kills every live process tree and stops the timeout scheduler; later launches are refused. */
    @Override
    public void close() {
        closed = true;
        live.values().forEach(e -> e.handle().kill());
        timers.shutdownNow();
    }
}
