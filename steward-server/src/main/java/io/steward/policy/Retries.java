package io.steward.policy;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunIds;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.store.PolicyStore;
import io.steward.store.RetryChain;
import io.steward.store.RetryPolicy;
import io.steward.store.RunRecord;
import io.steward.store.RunStore;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Retry chains: an invoke with a retry policy becomes a chain of attempts, each its own run, linked to the first.
 *
 * <p>An attempt that ends FAILED, TIMED_OUT or LOST gets a successor after the backoff, until the attempts are used
 * up; SUCCEEDED and CANCELLED end the chain (a cancel is a person saying stop). LOST is retried, as Celery's
 * {@code acks_late} retries lost work: the attempt's outcome is unknown, and a script with a retry policy must
 * bear being run again anyway. A run cancelled because the primary is shutting down is treated as LOST.
 *
 * <p>Durability: the next attempt's due time is written to the store inside the run's end, before anyone waiting
 * for the run is told, and a timer starts it. The write is done by a thread of its own ({@code steward-retry-store})
 * while the run's thread waits for it: a run's thread may carry an interrupt from the run's stop, and H2 closes the
 * whole database when a thread is interrupted in its file I/O. On start, {@link #resume} reloads every open chain:
 * waiting ones are timed again (those due while the primary was down start at once), and a chain whose current
 * attempt ended without a successor, or never got its run, is moved on. Every step is an update guarded by the
 * state and attempt it expects ({@link PolicyStore}), so each attempt starts exactly once.
 *
 * <p>Scripts see their attempt in {@code args.retry}: {@code {of, attempt, attempts}}.
 */
final class Retries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Retries.class.getName());
    static final String ARG = "retry";

    private final PolicyStore store;
    private final RunStore runs;
    private final ConcurrencyLimits limits;
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("steward-retries").factory());
    private final ExecutorService recorder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("steward-retry-store").factory());
    /** The chain of each attempt in progress on this primary, by the attempt's run id. */
    private final Map<String, RetryChain> current = new ConcurrentHashMap<>();
    /** What ?wait callers wait for: the last attempt's end, by first run. */
    private final Map<String, CompletableFuture<RunSnapshot>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, RunSnapshot> lastEnded = new ConcurrentHashMap<>();
    private volatile boolean closing;
    /** Where the first attempt's secret args are kept sealed (the chain itself records only the plain args). */
    private final io.steward.store.RunSecretStore secrets;

    Retries(PolicyStore store, RunStore runs, ConcurrencyLimits limits, io.steward.store.RunSecretStore secrets) {
        this.secrets = secrets;
        this.store = store;
        this.runs = runs;
        this.limits = limits;
        // Closing drops the attempts still timed (they are stored, and resumed on the next start) and lets a running
        // one finish: interrupting it could catch it in the store's file I/O.
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts a chain: records it, then invokes its first attempt.
     *
     * @param awaitOutcome whether {@link #outcome} will be asked for (a {@code ?wait} invoke)
     */
    RunHandle invoke(InvokeRequest request, RetryPolicy policy, boolean awaitOutcome) throws InterruptedException {
        if (request.args().containsKey(ARG)) {
            throw new IllegalArgumentException("args.retry is where Steward tells a run with a retry policy its attempt "
                    + "({of, attempt, attempts}): rename that argument");
        }
        String first = request.id() != null ? request.id() : RunIds.next();
        RetryChain chain = RetryChain.first(first, request.script(), request.version(), request.args(),
                request.timeout() == null ? null : request.timeout().toMillis(), request.invoker(), policy);
        store.startChain(chain);
        current.put(first, chain);
        if (awaitOutcome) {
            outcomes.put(first, new CompletableFuture<>());
        }
        try {
            return limits.invoke(attempt(chain).withSecretArgs(request.secretArgs()), false);
        } catch (InterruptedException | RuntimeException e) {
            current.remove(first);
            outcomes.remove(first);
            store.forgetChain(first);
            throw e;
        }
    }

    /** Completes with the snapshot of the chain's last attempt; null when nobody asked to wait for it. */
    CompletableFuture<RunSnapshot> outcome(String firstRun) {
        return outcomes.get(firstRun);
    }

    void forgetOutcome(String firstRun) {
        outcomes.remove(firstRun);
    }

    /** Called by {@link RunEnds} under the run's lock: decides and records what comes after this attempt. */
    void ended(RunSnapshot run) {
        RetryChain chain = current.remove(run.id());
        if (chain == null) {
            return;
        }
        Future<?> recorded;
        try {
            recorded = recorder.submit(() -> afterAttempt(chain, run.state(), run));
        } catch (RejectedExecutionException closed) {
            return;
        }
        // Waits without being interruptible; bounded, since a restart puts a chain whose step was missed right.
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                try {
                    recorded.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    LOG.log(System.Logger.Level.ERROR, "could not record the end of attempt " + chain.attempt() + " of "
                            + chain.firstRun() + "; the next start of the primary moves the chain on", e);
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void afterAttempt(RetryChain chain, RunState state, RunSnapshot run) {
        boolean failed = state == RunState.FAILED || state == RunState.TIMED_OUT || state == RunState.LOST
                || (state == RunState.CANCELLED && closing);
        if (failed && chain.attempt() < chain.policy().attempts()) {
            Instant due = Instant.now().plus(chain.policy().delayBefore(chain.attempt() + 1));
            if (store.scheduleNext(chain.firstRun(), chain.attempt(), due)) {
                if (run != null) {
                    lastEnded.put(chain.firstRun(), run);
                }
                timeNext(chain.firstRun(), chain.attempt(), due);
            }
            return;
        }
        store.finishChain(chain.firstRun(), chain.attempt());
        lastEnded.remove(chain.firstRun());
        complete(chain.firstRun(), run);
    }

    private void timeNext(String firstRun, int attempt, Instant due) {
        if (closing) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis());
        timers.schedule(() -> startNext(firstRun, attempt), delay, TimeUnit.MILLISECONDS);
    }

    /** Starts attempt {@code attempt + 1} if nobody has (a restart racing this timer loses in the store). */
    private void startNext(String firstRun, int attempt) {
        if (closing) {
            return;
        }
        try {
            Optional<RetryChain> chain = store.chain(firstRun);
            String id = RunIds.next();
            if (chain.isEmpty() || !store.startAttempt(firstRun, attempt, id)) {
                return;
            }
            launch(chain.get().running(attempt + 1, id));
        } catch (RuntimeException e) {
            // The store was unreachable: the chain stays WAITING and the next start of the primary picks it up.
            LOG.log(System.Logger.Level.ERROR, "could not start the next attempt of " + firstRun, e);
        }
    }

    /** Invokes the chain's current attempt under its recorded run id; an attempt that cannot start ends the chain. */
    private void launch(RetryChain chain) {
        current.put(chain.currentRun(), chain);
        try {
            // A key that does not open them ends the chain here, with the reason in the log.
            limits.invoke(io.steward.secrets.SecretArgs.reload(attempt(chain), chain.firstRun(), secrets), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.remove(chain.currentRun());
        } catch (RuntimeException e) {
            // The script was deleted, no longer compiles, or the launcher refuses: more attempts would fail alike.
            current.remove(chain.currentRun());
            LOG.log(System.Logger.Level.WARNING, "attempt " + chain.attempt() + " of " + chain.firstRun()
                    + " could not start, so the retries end: " + e.getMessage());
            store.finishChain(chain.firstRun(), chain.attempt());
            complete(chain.firstRun(), lastEnded.remove(chain.firstRun()));
        }
    }

    private void complete(String firstRun, RunSnapshot last) {
        CompletableFuture<RunSnapshot> outcome = outcomes.remove(firstRun);
        if (outcome != null) {
            outcome.complete(last);
        }
    }

    private static InvokeRequest attempt(RetryChain chain) {
        Map<String, Object> args = new LinkedHashMap<>(chain.args());
        Map<String, Object> retry = new LinkedHashMap<>();
        retry.put("of", chain.firstRun());
        retry.put("attempt", (long) chain.attempt());
        retry.put("attempts", (long) chain.policy().attempts());
        args.put(ARG, retry);
        return new InvokeRequest(chain.script(), chain.version(), args,
                chain.timeoutMs() == null ? null : Duration.ofMillis(chain.timeoutMs()), chain.invoker())
                .withId(chain.currentRun());
    }

    /**
     * Picks up the chains a previous process left open. Call after the store has marked that process's runs LOST
     * and the coordinator is ready; returns how many chains were open.
     */
    int resume() {
        List<RetryChain> open = store.openChains();
        for (RetryChain chain : open) {
            try {
                if (chain.state() == RetryChain.State.WAITING) {
                    timeNext(chain.firstRun(), chain.attempt(), chain.dueAt());
                    continue;
                }
                Optional<RunRecord> run = runs.get(chain.currentRun());
                if (run.isEmpty()) {
                    // Recorded as started, but the primary stopped before the run existed: start it now, same id.
                    launch(chain);
                } else {
                    RunState state = run.get().state();
                    afterAttempt(chain, state.isTerminal() ? state : RunState.LOST, null);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not resume the retries of " + chain.firstRun(), e);
            }
        }
        return open.size();
    }

    /** Stops timing attempts; a run cancelled by the shutdown that follows is left to be retried after a restart. */
    void closing() {
        closing = true;
        timers.shutdown();
    }

    @Override
    public void close() {
        closing();
        recorder.shutdown();
    }
}
