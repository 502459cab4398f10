package io.steward.coordination;

/**
 * A run as a party to coordination: its owners are its script threads, named by the thread that asks, so that a
 * mutex taken on one thread of a run still excludes the run's other threads.
 */
public record Party(Coordination coordination, String runId, String node) {

    Owner owner() {
        return new Owner(runId, node, Thread.currentThread().getName());
    }

    /** {@code ms} as a wait: negative refused, null none given (wait as long as it takes). */
    static long timeout(String what, Number ms) {
        return ms == null ? Waiter.FOREVER : CoordinationNames.checkTimeout(what, ms.longValue());
    }
}
