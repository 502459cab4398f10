package io.steward.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What {@link Coordinator#invoke} returns: the new run's id, its live snapshot and its completion. */
public final class RunHandle {
    private final Run run;

    RunHandle(Run run) {
        this.run = run;
    }

    public String id() {
        return run.id();
    }

    public RunSnapshot snapshot() {
        return run.snapshot();
    }

    /** Completes with the final snapshot when the run ends. */
    public CompletableFuture<RunSnapshot> completion() {
        return run.completion().copy();
    }

    /** Waits for the end; returns the final snapshot, or the current one if {@code timeout} passes first. */
    public RunSnapshot await(Duration timeout) throws InterruptedException {
        try {
            return run.completion().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return run.snapshot();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + id() + " ended abnormally", e.getCause());
        }
    }
}
