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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registry of live local processes and the one place that launches them.
 *
 * <p>Each process costs two pooled threads that pump its stdout and stderr while it runs; exit is observed
 * through {@link Process#onExit()}, so no thread waits for it. Timeouts share one scheduler thread.
 */
public final class LocalProcesses implements AutoCloseable {
    private static final File NO_INPUT = new File("/dev/null");
    /** How long output may keep flowing after the process exited (a grandchild may hold the pipe). */
    private static final long DRAIN_AFTER_EXIT_MS = 2_000;

    /**
     * Output pumps and exit handling run on pooled platform threads. A pump spends its life blocked in a pipe read,
     * which a virtual thread cannot do without pinning (and the JDK compensating with a new carrier) — measured
     * slower per spawn; and exit handling joins the pumps, which must not hold up the JDK's process reaper thread.
     */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "steward-process-io");
        t.setDaemon(true);
        return t;
    });

    private final Map<Long, Entry> live = new ConcurrentHashMap<>();
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
     */
    public LocalProcess launch(ProcessSpec spec, String owner, ProcessListener listener) {
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
        live.put(info.pid(), new Entry(info, handle));
        listener.started(info);

        Future<?> outPump = PUMPS.submit(
                new OutputPump(process.getInputStream(), out, line -> listener.output(info, StdStream.STDOUT, line)));
        Future<?> errPump = PUMPS.submit(
                new OutputPump(process.getErrorStream(), err, line -> listener.output(info, StdStream.STDERR, line)));
        if (spec.stdin() != null) {
            PUMPS.execute(() -> feed(process, spec.stdin()));
        }
        ScheduledFuture<?> timeout = spec.timeout() == null ? null : timers.schedule(() -> {
            timedOut.set(true);
            killer.run();
        }, spec.timeout().toNanos(), TimeUnit.NANOSECONDS);

        process.onExit().thenRunAsync(() -> {
            if (timeout != null) {
                timeout.cancel(false);
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            drain(process, outPump, errPump);
            ExecResult r = new ExecResult(process.exitValue(), out.text(), err.text(), out.truncated(), err.truncated(),
                    durationMs, info.pid(), timedOut.get(), killed.get());
            live.remove(info.pid());
            try {
                listener.exited(info, r);
            } finally {
                result.complete(r);
            }
        }, PUMPS);
        return handle;
    }

    private static void drain(Process process, Future<?> outPump, Future<?> errPump) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MS);
        if (!await(outPump, deadline) | !await(errPump, deadline)) {
            // A background grandchild still holds the pipe open: stop reading rather than wait for it.
            closeQuietly(process);
            await(outPump, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MS));
            await(errPump, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MS));
        }
    }

    private static boolean await(Future<?> pump, long deadlineNanos) {
        try {
            pump.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
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

    /** Kills every live process tree and stops the timeout scheduler. */
    @Override
    public void close() {
        live.values().forEach(e -> e.handle().kill());
        timers.shutdownNow();
    }
}
