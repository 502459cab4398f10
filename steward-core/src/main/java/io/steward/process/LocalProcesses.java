package io.steward.process;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registry of live local processes and the one place that launches them.
 *
 * <p>Each process costs two threads that pump its stdout and stderr (virtual ones for the JDK's pipes, which
 * let a virtual thread block in a read; pooled platform ones for {@link PosixSpawner}'s, see there), and a wait
 * for its exit: the {@link Spawner}'s (the JDK's process reaper, or a pooled small-stack thread of
 * {@link PosixSpawner}'s).
 * Timeouts share one scheduler thread. How children are started is the spawner's business: {@code posix_spawn}
 * on Linux where JNA loads, {@link ProcessBuilder} otherwise; see {@link Spawner#select()} for the override.
 */
public final class LocalProcesses implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalProcesses.class.getName());
    /** How long output may keep flowing after the process exited (a grandchild may hold the pipe). */
    private static final long DRAIN_AFTER_EXIT_MS = 2_000;

    /** Exit handling joins the output pumps, which must not hold up the JDK's process reaper thread. */
    private static final java.util.concurrent.Executor ON_VIRTUAL_THREAD = r -> Thread.ofVirtual().start(r);

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

        OutputPump outPump = new OutputPump(process.stdout(), out, line -> listener.output(info, StdStream.STDOUT, line));
        OutputPump errPump = new OutputPump(process.stderr(), err, line -> listener.output(info, StdStream.STDERR, line));
        Future<?> outReader = process.onStreamThread("pid-" + info.pid() + "-out", outPump);
        Future<?> errReader = process.onStreamThread("pid-" + info.pid() + "-err", errPump);
        if (spec.stdin() != null) {
            process.onStreamThread("pid-" + info.pid() + "-in", () -> feed(process, spec.stdin()));
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

        process.exitCode().whenCompleteAsync((exitCode, failure) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (failure != null) { // the wait for the exit itself failed: nothing to report but that
                live.remove(info.pid(), entry);
                result.completeExceptionally(failure);
                return;
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            drain(process, outPump, outReader, errPump, errReader);
            ExecResult r = new ExecResult(exitCode, out.text(), err.text(), out.truncated(), err.truncated(),
                    durationMs, info.pid(), timedOut.get(), killed.get());
            // Only this entry: the pid may already belong to a newer process of ours.
            live.remove(info.pid(), entry);
            tell(() -> listener.exited(info, r), "exited", info);
            result.complete(r);
        }, ON_VIRTUAL_THREAD);
        return handle;
    }

    /**
     * Waits for the output to be read to its end, but not for long: a background grandchild may hold the
     * pipe open for ever. Then the pumps are stopped, so that their unfinished lines come before the
     * exit and nothing comes after it, and the streams closed.
     */
    private static void drain(Child process, OutputPump outPump, Future<?> outReader, OutputPump errPump, Future<?> errReader) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MS);
        await(outReader, deadline);
        await(errReader, deadline);
        if (!outReader.isDone() || !errReader.isDone()) {
            // A background grandchild still holds the pipe open: stop reading rather than wait for it.
            outPump.stop();
            errPump.stop();
            closeQuietly(process);
        }
    }

    private static void await(Future<?> reader, long deadline) {
        try {
            reader.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A pump never throws; a timeout is the grandchild case, handled by the caller.
        }
    }

    private static void closeQuietly(Child process) {
        try {
            process.stdout().close();
            process.stderr().close();
        } catch (IOException ignored) {
            // already closed
        }
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

    private static void feed(Child process, String stdin) {
        try (Writer w = new OutputStreamWriter(process.stdin(), StandardCharsets.UTF_8)) {
            w.write(stdin);
        } catch (IOException e) {
            // The process closed its stdin early (it did not want the rest): not an error of ours.
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
