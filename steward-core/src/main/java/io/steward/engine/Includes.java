package io.steward.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The libraries of one run: {@code include(name)} evaluates a script at most once per run and hands every later
 * include of the same name the value of that one evaluation.
 *
 * <p>The first thread to include a name evaluates it; a thread that includes it meanwhile waits for that
 * evaluation and shares its outcome, value or failure. A failure is not remembered: the next include after it
 * evaluates the script again.
 *
 * <p>Each thread has its include chain, rooted at the run's script name. Including a name already on the
 * calling thread's chain is a cycle ({@code main.groovy → lib/a.groovy → lib/b.groovy → lib/a.groovy}) and
 * fails at once. Two threads can also close a cycle between them: one evaluating {@code a} and including
 * {@code b}, the other evaluating {@code b} and including {@code a}. Waiting would then deadlock, so before a
 * thread waits it follows who it would wait for (the evaluating thread, what that thread waits for, and so on);
 * reaching itself is a cycle, reported with the chain across the threads. One monitor guards all of this; nobody
 * evaluates or waits while holding it.
 *
 * <p>What this cannot see: a thread that waits for another by other means ({@code join()} on a spawned thread
 * that includes the library its parent is evaluating) still deadlocks, as any two threads waiting on each other
 * do; the run's timeout or a cancel ends it.
 */
final class Includes {
    private final String root;
    /** Name → its evaluation, finished or running. Failed evaluations are removed. */
    private final Map<String, Evaluation> evaluations = new HashMap<>();
    /** The include chain of every thread inside an include, without the root. */
    private final Map<Thread, Deque<String>> chains = new HashMap<>();
    /** What each thread is waiting for. */
    private final Map<Thread, Evaluation> waiting = new HashMap<>();

    private static final class Evaluation {
        final String name;
        final Thread owner;
        final CompletableFuture<Object> outcome = new CompletableFuture<>();

        Evaluation(String name, Thread owner) {
            this.name = name;
            this.owner = owner;
        }
    }

    Includes(String root) {
        this.root = root;
    }

    /**
     * The value of the script {@code name} in this run: evaluated by {@code evaluate} now, awaited from the
     * thread already evaluating it, or remembered from an earlier evaluation.
     *
     * @throws IncludeCycleException when the include would close a cycle
     */
    Object include(String name, Callable<Object> evaluate) throws InterruptedException {
        Thread me = Thread.currentThread();
        Evaluation evaluation;
        boolean mine;
        synchronized (this) {
            Deque<String> chain = chains.getOrDefault(me, new ArrayDeque<>());
            if (name.equals(root) || chain.contains(name)) {
                List<String> cycle = chainOf(chain);
                cycle.add(name);
                throw cycleError(cycle, false);
            }
            evaluation = evaluations.get(name);
            mine = evaluation == null;
            if (mine) {
                evaluation = new Evaluation(name, me);
                evaluations.put(name, evaluation);
                chain.addLast(name);
                chains.put(me, chain);
            } else if (!evaluation.outcome.isDone()) {
                List<String> cycle = crossThreadCycle(me, evaluation);
                if (cycle != null) {
                    throw cycleError(cycle, true);
                }
                waiting.put(me, evaluation);
            }
        }
        return mine ? evaluate(evaluation, evaluate) : await(me, evaluation);
    }

    private Object evaluate(Evaluation evaluation, Callable<Object> evaluate) throws InterruptedException {
        Object value = null;
        Throwable failure = null;
        try {
            value = evaluate.call();
            return value;
        } catch (Throwable t) {
            failure = t;
            throw sneaky(t);
        } finally {
            synchronized (this) {
                Deque<String> chain = chains.get(evaluation.owner);
                chain.removeLast();
                if (chain.isEmpty()) {
                    chains.remove(evaluation.owner);
                }
                if (failure != null) {
                    evaluations.remove(evaluation.name, evaluation);
                }
            }
            if (failure != null) {
                evaluation.outcome.completeExceptionally(failure);
            } else {
                evaluation.outcome.complete(value);
            }
        }
    }

    private Object await(Thread me, Evaluation evaluation) throws InterruptedException {
        try {
            return evaluation.outcome.get();
        } catch (ExecutionException e) {
            throw sneaky(e.getCause());
        } finally {
            synchronized (this) {
                waiting.remove(me);
            }
        }
    }

    /**
     * The cycle {@code me} would close by waiting for {@code wanted}, or {@code null}: follows owner → what the
     * owner waits for → its owner … and returns the chain through them if it comes back to {@code me}.
     */
    private List<String> crossThreadCycle(Thread me, Evaluation wanted) {
        List<String> cycle = chainOf(chains.getOrDefault(me, new ArrayDeque<>()));
        Evaluation next = wanted;
        for (int hops = 0; next != null && hops <= waiting.size(); hops++) {
            cycle.add(next.name);
            if (next.owner == me) {
                return cycle;
            }
            // The owner's chain after the wanted name, up to what the owner itself waits for.
            boolean after = false;
            for (String link : chains.getOrDefault(next.owner, new ArrayDeque<>())) {
                if (after) {
                    cycle.add(link);
                }
                after |= link.equals(next.name);
            }
            next = waiting.get(next.owner);
        }
        return null;
    }

    private List<String> chainOf(Deque<String> chain) {
        List<String> names = new ArrayList<>(chain.size() + 2);
        names.add(root);
        names.addAll(chain);
        return names;
    }

    private static IncludeCycleException cycleError(List<String> cycle, boolean acrossThreads) {
        return new IncludeCycleException("include cycle: " + String.join(" → ", cycle)
                + (acrossThreads ? " (across script threads)" : ""));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
