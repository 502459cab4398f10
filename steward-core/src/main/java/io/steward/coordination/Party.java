package io.steward.coordination;

import java.util.function.Supplier;

/**
 * A run as a party to coordination: its owners are its script threads, named by the thread that asks, so that a
 * mutex taken on one thread of a run still excludes the run's other threads. The coordination is looked up at each
 * use, not when a script's globals are bound: a context without one (a launcher's) fails only if it uses it.
 */
public record Party(Supplier<Coordination> source, String runId, String node) {

    Coordination coordination() {
        return source.get();
    }

    Owner owner() {
        return new Owner(runId, node, Thread.currentThread().getName());
    }

    /** {@code ms} as a wait: negative refused, null none given (wait as long as it takes). */
    static long timeout(String what, Number ms) {
        return ms == null ? Waiter.FOREVER : CoordinationNames.checkTimeout(what, ms.longValue());
    }
}
