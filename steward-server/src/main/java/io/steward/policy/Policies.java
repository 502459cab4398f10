package io.steward.policy;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.EventSink;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.store.RetryAttempt;
import io.steward.store.RetryChain;
import io.steward.store.RetryPolicy;
import io.steward.store.ScriptPolicy;
import io.steward.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The primary's retries, concurrency limits and notifications behind one small interface for the gateway and the
 * server. Build it before the coordinator (the coordinator's event sink is {@link #sink}), then {@link #start} it
 * once the coordinator exists and the store has marked the previous process's runs LOST.
 *
 * <p>Script policies are read on every invoke, so they are held in memory; every change goes through
 * {@link #putScriptPolicy}/{@link #clearScriptPolicy}, which keep that copy right.
 */
public final class Policies implements AutoCloseable {
    /** Webhook and script deliveries: how often each is tried, and the first wait between tries (then doubled). */
    public static final int DELIVERY_ATTEMPTS = 5;
    public static final Duration DELIVERY_BACKOFF = Duration.ofSeconds(1);

    private final Store store;
    private final RunEnds sink;
    private final ConcurrencyLimits limits;
    private final Retries retries;
    private final Notifier notifier;
    private final Map<String, Optional<ScriptPolicy>> policies = new ConcurrentHashMap<>();

    /** @param coordinator the coordinator, once built (it is built with {@link #sink}, so after this) */
    public Policies(Store store, Supplier<Coordinator> coordinator) {
        this.store = store;
        this.sink = new RunEnds(store.writer());
        this.limits = new ConcurrencyLimits(coordinator, this::scriptPolicy);
        this.retries = new Retries(store.policies(), store.runs(), limits, store.secrets());
        this.notifier = new Notifier(store.notifications(), coordinator, DELIVERY_ATTEMPTS, DELIVERY_BACKOFF);
        // Retries first: the next attempt is recorded before the slot is freed and anyone is notified.
        sink.listen(retries::ended);
        sink.listen(limits::ended);
        sink.listen(notifier::ended);
        // Read here, on the starting thread: run ends match against them in memory and never read the store.
        store.notifications().list();
    }

    /** The event sink to build the coordinator with: the store's, telling these policies about run ends. */
    public EventSink sink() {
        return sink;
    }

    /** Resumes the retry chains a previous process left open; returns how many there were. */
    public int start() {
        return retries.resume();
    }

    /** What {@link #invoke} started: the run, and with a retry policy and {@code awaitFinal}, its chain's last end. */
    public record Invoked(RunHandle handle, CompletableFuture<RunSnapshot> finalOutcome) {
    }

    /**
     * Invokes through the policies: a retry policy (the request's own, else the script's; {@code attempts: 1}
     * means none) makes the run the first attempt of a chain; the script's concurrency limit starts, queues or
     * refuses it.
     *
     * @param retry        the invoke's own retry policy, or null for the script's
     * @param awaitFinal   whether the caller will wait for the last attempt ({@code ?wait})
     * @throws ScriptBusyException      over a {@code reject} limit
     * @throws IllegalArgumentException bad input (as {@link Coordinator#invoke} throws it, and a retry with a fan-out)
     */
    public Invoked invoke(InvokeRequest request, RetryPolicy retry, boolean awaitFinal) throws InterruptedException {
        RetryPolicy policy = retry;
        if (policy == null && request.fanOut() == null && request.parent() == null) {
            policy = scriptPolicy(request.script()).map(ScriptPolicy::retry).orElse(null);
        }
        if (policy == null || policy.attempts() == 1) {
            return new Invoked(limits.invoke(request, false), null);
        }
        if (request.fanOut() != null) {
            throw new IllegalArgumentException("retry applies to runs on one node: a fan-out (on) with a retry policy "
                    + "is not supported; give the script its own retries with args.retry, or retry the fan-out yourself");
        }
        RunHandle handle = retries.invoke(request, policy, awaitFinal);
        return new Invoked(handle, awaitFinal ? retries.outcome(handle.id()) : null);
    }

    /** How fan-outs pace their children by the script's limit (see {@link io.steward.nodes.PrimaryFleet#childSlots}). */
    public io.steward.nodes.PrimaryFleet.ChildSlots childSlots() {
        return new io.steward.nodes.PrimaryFleet.ChildSlots() {
            @Override
            public void take(String script, String id) throws InterruptedException {
                limits.takeForChild(script, id);
            }

            @Override
            public void give(String id) {
                limits.release(id);
            }
        };
    }

    /** Lets go of a final outcome nobody waits for any more (the ?wait expired). */
    public void forget(Invoked invoked) {
        if (invoked.finalOutcome() != null) {
            retries.forgetOutcome(invoked.handle().id());
        }
    }

    public Optional<ScriptPolicy> scriptPolicy(String script) {
        return policies.computeIfAbsent(script, s -> store.policies().scriptPolicy(s));
    }

    public void putScriptPolicy(ScriptPolicy policy) {
        try {
            store.policies().putScriptPolicy(policy);
        } finally {
            policies.remove(policy.script());
        }
        limits.policyChanged(policy.script());
    }

    public boolean clearScriptPolicy(String script) {
        boolean cleared;
        try {
            cleared = store.policies().clearScriptPolicy(script);
        } finally {
            policies.remove(script);
        }
        limits.policyChanged(script);
        return cleared;
    }

    /** How many runs of the script hold a slot of its limit and how many wait QUEUED for one. */
    public int[] slots(String script) {
        return limits.counts(script);
    }

    /** The attempt a run is, when it is one of a retry chain. */
    public Optional<RetryAttempt> attemptOf(String runId) {
        return store.policies().attemptOf(runId);
    }

    /** The attempts of the chain a run started (first first), and the chain; empty when it started none. */
    public List<RetryAttempt> attempts(String firstRun) {
        return store.policies().attempts(firstRun);
    }

    public Optional<RetryChain> chain(String firstRun) {
        return store.policies().chain(firstRun);
    }

    /** Stops timing retries before the coordinator cancels the live runs, so that those are retried after a restart. */
    public void closing() {
        retries.closing();
    }

    @Override
    public void close() {
        retries.close();
        limits.close();
        notifier.close();
    }
}
