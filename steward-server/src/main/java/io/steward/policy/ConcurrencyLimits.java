package io.steward.policy;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunIds;
import io.steward.coordinator.RunSnapshot;
import io.steward.store.ScriptPolicy;
import io.steward.store.WhenBusy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A script's {@code maxConcurrent}: how many of its runs may run at once on this primary. Each limited script has
 * {@link Slots}: the ids of its runs that hold a slot and a FIFO queue of runs waiting QUEUED for one. A run's end
 * frees its slot and starts the next queued run: no polling, the end itself wakes the queue. Run ends arrive on the
 * run's thread under its event lock, so the freeing is handed to a thread of its own ({@code steward-limits}).
 *
 * <p>What counts: the runs invoked through here (every API invoke, every retry attempt, every scheduled run), the
 * children of fan-outs wherever they run (the fan-out waits for a slot before it starts each child: {@link #takeForChild}),
 * plus the runs of the script already live on this node when its slots are first needed. A fan-out's parent takes
 * no slot: it runs no script of its own, and holding one would starve its children.
 */
final class ConcurrencyLimits implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConcurrencyLimits.class.getName());

    /** The runs of one limited script. Guarded by itself. */
    private static final class Slots {
        final String script;
        final Set<String> running = new HashSet<>();
        final Deque<String> queue = new ArrayDeque<>();
        /** Children of fan-outs waiting in {@link #queue} for a slot: their fan-out starts them when it is their turn. */
        final Map<String, java.util.concurrent.CompletableFuture<Void>> children = new java.util.HashMap<>();

        Slots(String script) {
            this.script = script;
        }
    }

    private final Supplier<Coordinator> coordinator;
    private final Function<String, Optional<ScriptPolicy>> policies;
    private final Map<String, Slots> byScript = new ConcurrentHashMap<>();
    private final Map<String, Slots> byRun = new ConcurrentHashMap<>();
    private final ExecutorService freeing = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("steward-limits").factory());

    ConcurrencyLimits(Supplier<Coordinator> coordinator, Function<String, Optional<ScriptPolicy>> policies) {
        this.coordinator = coordinator;
        this.policies = policies;
    }

    /**
     * Starts the run now if its script has a free slot (or no limit); otherwise queues it, or refuses it when the
     * script's policy says {@code reject} and {@code queueWhenBusy} is false (a retry attempt always waits).
     *
     * @throws ScriptBusyException when refused; no run exists then
     */
    RunHandle invoke(InvokeRequest request, boolean queueWhenBusy) throws InterruptedException {
        Integer max = policies.apply(request.script()).map(ScriptPolicy::maxConcurrent).orElse(null);
        if (max == null || request.fanOut() != null) {
            return coordinator.get().invoke(request);
        }
        WhenBusy whenBusy = policies.apply(request.script()).map(ScriptPolicy::whenBusy).orElse(WhenBusy.QUEUE);
        Slots slots = byScript.computeIfAbsent(request.script(), this::seeded);
        // The id is chosen before the run exists, so that a run ending before invoke returns still finds its slot.
        String id = request.id() != null ? request.id() : RunIds.next();
        InvokeRequest named = request.withId(id);
        synchronized (slots) {
            boolean free = slots.running.size() < max && slots.queue.isEmpty();
            if (!free && whenBusy == WhenBusy.REJECT && !queueWhenBusy) {
                throw new ScriptBusyException(request.script(), max, slots.running.size());
            }
            (free ? slots.running : slots.queue).add(id);
            byRun.put(id, slots);
            try {
                return free ? coordinator.get().invoke(named) : coordinator.get().invokeQueued(named);
            } catch (InterruptedException | RuntimeException e) {
                slots.running.remove(id);
                slots.queue.remove(id);
                byRun.remove(id);
                throw e;
            }
        }
    }

    /**
     * Waits until child run {@code id} of a fan-out may start under its script's limit, then counts it as running
     * (its end, or {@link #release}, frees the slot). Children wait whatever {@code whenBusy} says: the fan-out was
     * accepted already, and refusing some of its nodes would be a worse surprise than pacing them.
     */
    void takeForChild(String script, String id) throws InterruptedException {
        if (policies.apply(script).map(ScriptPolicy::maxConcurrent).isEmpty()) {
            return;
        }
        Slots slots = byScript.computeIfAbsent(script, this::seeded);
        java.util.concurrent.CompletableFuture<Void> turn = new java.util.concurrent.CompletableFuture<>();
        synchronized (slots) {
            int max = policies.apply(script).map(ScriptPolicy::maxConcurrent).orElse(Integer.MAX_VALUE);
            byRun.put(id, slots);
            if (slots.running.size() < max && slots.queue.isEmpty()) {
                slots.running.add(id);
                return;
            }
            slots.queue.add(id);
            slots.children.put(id, turn);
        }
        try {
            turn.get();
        } catch (InterruptedException e) {
            release(id);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Frees what run {@code id} holds or waits for (a fan-out's child that ended, or never started). */
    void release(String id) {
        Slots slots = byRun.remove(id);
        if (slots == null) {
            return;
        }
        try {
            freeing.execute(() -> {
                synchronized (slots) {
                    slots.running.remove(id);
                    slots.queue.remove(id);
                    slots.children.remove(id);
                    startQueued(slots);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // The primary is stopping.
        }
    }

    /** The slots of a script that has none yet hold its live runs, so that a limit set while they run counts them. */
    private Slots seeded(String script) {
        Slots slots = new Slots(script);
        for (RunSnapshot run : coordinator.get().runs()) {
            // a fan-out's parent shows its target script but runs none of it
            if (run.script().equals(script) && !run.state().isTerminal() && !run.statusValues().containsKey("fanOut")) {
                slots.running.add(run.id());
                byRun.put(run.id(), slots);
            }
        }
        return slots;
    }

    /** Called by {@link RunEnds}: frees the run's slot (or its place in the queue) and starts the next. */
    void ended(RunSnapshot run) {
        Slots slots = byRun.remove(run.id());
        if (slots != null) {
            try {
                freeing.execute(() -> {
                    synchronized (slots) {
                        slots.running.remove(run.id());
                        slots.queue.remove(run.id());
                        startQueued(slots);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // The primary is stopping: no queued run is to start any more.
            }
        }
    }

    /** The script's policy changed: a raised or lifted limit starts queued runs at once. */
    void policyChanged(String script) {
        Slots slots = byScript.get(script);
        if (slots == null) {
            return;
        }
        freeing.submit(() -> {
            synchronized (slots) {
                startQueued(slots);
                if (slots.queue.isEmpty() && policies.apply(script).map(ScriptPolicy::maxConcurrent).isEmpty()) {
                    // No limit any more: new runs are not counted, so these slots would go stale.
                    byScript.remove(script, slots);
                }
            }
        });
    }

    /** How many runs of the script hold a slot and how many wait; zeros for a script without a limit. */
    int[] counts(String script) {
        Slots slots = byScript.get(script);
        if (slots == null) {
            return new int[]{0, 0};
        }
        synchronized (slots) {
            return new int[]{slots.running.size(), slots.queue.size()};
        }
    }

    private void startQueued(Slots slots) {
        int max = policies.apply(slots.script).map(ScriptPolicy::maxConcurrent).orElse(Integer.MAX_VALUE);
        while (slots.running.size() < max && !slots.queue.isEmpty()) {
            String next = slots.queue.poll();
            java.util.concurrent.CompletableFuture<Void> child = slots.children.remove(next);
            if (child != null) {
                slots.running.add(next);
                child.complete(null); // its fan-out starts it now
                continue;
            }
            try {
                if (coordinator.get().release(next)) {
                    slots.running.add(next);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not start queued run " + next + " of " + slots.script, e);
            }
        }
    }

    @Override
    public void close() {
        // Not shutdownNow: an interrupt must never reach code that may be in the store's file I/O.
        freeing.shutdown();
    }
}
