package io.steward.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handle on one launched local process. Its result is complete once the process has exited and
 * its output has been read to the end (or given up on, when a background grandchild holds the pipe).
 */
public final class LocalProcess {
    private final Child process;
    private final ProcessInfo info;
    private final CappedBuffer stdout;
    private final CompletableFuture<ExecResult> result;
    private final Runnable killer;

    LocalProcess(Child process, ProcessInfo info, CappedBuffer stdout,
                 CompletableFuture<ExecResult> result, Runnable killer) {
        this.process = process;
        this.info = info;
        this.stdout = stdout;
        this.result = result;
        this.killer = killer;
    }

    public long pid() {
        return info.pid();
    }

    public ProcessInfo info() {
        return info;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stdout captured so far (capped like the final result). */
    public String output() {
        return stdout.text();
    }

    /** Waits for the end; on interrupt the process tree is killed before the exception propagates. */
    public ExecResult waitFor() throws InterruptedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            kill();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the output of pid " + pid() + " failed", e.getCause());
        }
    }

    /** The result, or {@code null} if the process is still running after {@code timeout}. */
    public ExecResult waitFor(Duration timeout) throws InterruptedException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the output of pid " + pid() + " failed", e.getCause());
        }
    }

    public CompletableFuture<ExecResult> onExit() {
        return result.copy();
    }

    /** Kills the whole process tree. Does not wait for it to be gone; {@link #waitFor()} does. */
    public void kill() {
        killer.run();
    }
}
