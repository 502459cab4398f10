package io.steward.coordination;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A thread waiting for something (a hold, a message, a post) that another thread hands to it under the monitor of
 * the structure both belong to. The hand-over and the waiter's own give-up (timeout, interrupt) race; whichever
 * happens first under the monitor wins, so nothing is handed to a waiter that has left, and nothing handed is lost.
 */
final class Waiter<T> {
    /** Wait without a time limit. */
    static final long FOREVER = Long.MAX_VALUE;

    final Owner owner;
    final int priority;
    final long seq;
    final long since;
    private final CompletableFuture<T> handed = new CompletableFuture<>();

    Waiter(Owner owner, int priority, long seq, long since) {
        this.owner = owner;
        this.priority = priority;
        this.seq = seq;
        this.since = since;
    }

    /** Called under the monitor; false when the waiter had already been handed something or refused. */
    boolean hand(T value) {
        return handed.complete(value);
    }

    /** Ends the wait with an error (its run ended); called under the monitor. */
    void refuse(RuntimeException why) {
        handed.completeExceptionally(why);
    }

    /**
     * Waits up to {@code timeoutMs} ({@link #FOREVER}: no limit). On timeout, {@code withdraw} runs under
     * {@code monitor} and the answer is null, unless the value came first, which is then kept. On interrupt the
     * same, except that a value that came first is given back through {@code giveBack} before the interrupt
     * propagates.
     */
    T await(long timeoutMs, Object monitor, Runnable withdraw, Consumer<T> giveBack) throws InterruptedException {
        try {
            return timeoutMs == FOREVER ? handed.get() : handed.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (monitor) {
                if (!handed.isDone()) {
                    withdraw.run();
                    return null;
                }
            }
            return result();
        } catch (InterruptedException e) {
            synchronized (monitor) {
                if (!handed.isDone()) {
                    withdraw.run();
                    throw e;
                }
            }
            if (!handed.isCompletedExceptionally()) {
                giveBack.accept(handed.getNow(null));
            }
            throw e;
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private T result() {
        try {
            return handed.get();
        } catch (InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }
}
