package io.steward.process;

import java.io.File;
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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registry of live local processes and the one place that launches them.
 *
 * <p>Each process costs two virtual threads that pump its stdout and stderr; exit is observed through
 * {@link Process#onExit()}, so no thread waits per process. Timeouts share one scheduler thread.
 */
public final class LocalProcesses implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalProcesses.class.getName());
    private static final File NO_INPUT = new File("/dev/null");
    /** How long output may keep flowing after the process exited (a grandchild may hold the pipe). */
    private static final long DRAIN_AFTER_EXIT_MS = 2_000;

    /** Exit handling joins the output pumps, which must not hold up the JDK's process reaper thread. */
    private static final java.util.concurrent.Executor ON_VIRTUAL_THREAD = r -> Thread.ofVirtual().start(r);

    private final Map<Long, Entry> live = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steward-process-timeouts");
        t.setDaemon(true);
        return t;
    });

    private record Entry(ProcessInfo info, LocalProcess handle) {
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
        ProcessBuilder builder = new ProcessBuilder(spec.argv());
        if (spec.dir() != null) {
            builder.directory(spec.dir().toFile());
        }
        if (!spec.env().isEmpty()) {
            builder.environment().putAll(spec.env());
        }
        if (spec.stdin() == null) {
            builder.redirectInput(NO_INPUT);
        }
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = builder.start();
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
            ProcessTree.kill(process.toHandle());
        };
        LocalProcess handle = new LocalProcess(process, info, out, result, killer);
        Entry entry = new Entry(info, handle);
        live.put(info.pid(), entry);
        if (closed) {
            // close() ran while this process was starting and may have missed it: it must not outlive the registry.
            killer.run();
        }
        tell(() -> listener.started(info), "started", info);

        OutputPump outPump = new OutputPump(process.getInputStream(), out, line -> listener.output(info, StdStream.STDOUT, line));
        OutputPump errPump = new OutputPump(process.getErrorStream(), err, line -> listener.output(info, StdStream.STDERR, line));
        Thread outReader = Thread.ofVirtual().name("pid-" + info.pid() + "-out").start(outPump);
        Thread errReader = Thread.ofVirtual().name("pid-" + info.pid() + "-err").start(errPump);
        if (spec.stdin() != null) {
            Thread.ofVirtual().name("pid-" + info.pid() + "-in").start(() -> feed(process, spec.stdin()));
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

        process.onExit().thenRunAsync(() -> {
            if (timer != null) {
                timer.cancel(false);
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            drain(process, outPump, outReader, errPump, errReader);
            ExecResult r = new ExecResult(process.exitValue(), out.text(), err.text(), out.truncated(), err.truncated(),
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
    private static void drain(Process process, OutputPump outPump, Thread outReader, OutputPump errPump, Thread errReader) {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MS);
            outReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            errReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (outReader.isAlive() || errReader.isAlive()) {
            // A background grandchild still holds the pipe open: stop reading rather than wait for it.
            outPump.stop();
            errPump.stop();
            closeQuietly(process);
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
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

    private static void feed(Process process, String stdin) {
        try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
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
