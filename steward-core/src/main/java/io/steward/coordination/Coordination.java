package io.steward.coordination;

import java.util.List;
import java.util.Map;

/**
 * What a run's script reaches through {@code vars}, {@code lock}, {@code semaphore}, {@code event}, {@code queue}
 * and {@code pool}: on the primary its own state ({@link LocalCoordination}); on an agent the primary's, over the
 * agent link. Names, timeouts and values are checked as {@link CoordinationNames} and
 * {@link io.steward.engine.JsonValues} say; a wait of {@code timeoutMs} 0 only tries.
 *
 * <p>A primary's coordination also answers its API, console and metrics ({@link #view} and what follows it): the
 * in-memory state of a lone primary, or the database's when several primaries share it. An agent's side has no such
 * view and refuses those calls.
 */
public interface Coordination {

    /** The variable, or null when absent or expired. */
    Journal.StoredVar getVar(String scope, String name);

    Journal.StoredVar putVar(String scope, String name, Object value, long ttlMs);

    /** Null when the current value was not {@code expected} (null: absent). */
    Journal.StoredVar compareAndSetVar(String scope, String name, Object expected, Object value, long ttlMs);

    boolean removeVar(String scope, String name);

    List<String> varNames(String scope);

    /** One of {@code permits} permits of semaphore {@code name}; null when none came in time. */
    Semaphores.Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException;

    void release(Semaphores.Hold hold);

    /** Who holds semaphore {@code name}, in words, for a timeout's message. */
    String holders(String name);

    void post(String event);

    void reset(String event);

    int pulse(String event);

    boolean isPosted(String event);

    /** True when the event is or becomes posted in time. */
    boolean awaitEvent(String event, Owner owner, long timeoutMs) throws InterruptedException;

    long put(String queue, Object message);

    /** The next message, or null when none came in time. */
    Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException;

    int depth(String queue);

    /** A free entry of {@code pool}; null when none came in time. */
    Pools.PoolHold acquireEntry(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException;

    void release(Pools.PoolHold hold);

    /** A pool's entries: {@code entry, value, holder, leaving}. */
    List<Map<String, Object>> poolEntries(String pool);

    /** What run {@code runId}'s scripts use: this, unless requests must say which run asks (an agent's). */
    default Coordination forRun(String runId) {
        return this;
    }

    /** Run {@code runId} has ended, however it ended: nothing it holds may outlive it. */
    default void runEnded(String runId) {
    }

    // ---- what a primary's API, console and metrics read and change: not reachable from scripts ----

    /** Holders, waiters and depths of everything in use: {@code locks}, {@code events}, {@code queues}, {@code pools}. */
    default Map<String, Object> view() {
        throw onlyOnAPrimary();
    }

    /** The live variables of {@code scope}, by name; every scope's when it is null. */
    default List<Journal.StoredVar> vars(String scope) {
        throw onlyOnAPrimary();
    }

    /** Sets a variable only if its version is {@code version} (0: only if absent); null when it was another. */
    default Journal.StoredVar setVarIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        throw onlyOnAPrimary();
    }

    /** Removes expired variables from the store; returns how many. */
    default int sweepVars() {
        throw onlyOnAPrimary();
    }

    /** Adds an entry to a pool (creating it), or changes its value; a waiter may get it at once. */
    default void addPoolEntry(String pool, String entry, Object value) {
        throw onlyOnAPrimary();
    }

    /** Removes an entry; false when the pool has none such. A held entry leaves when released. */
    default boolean removePoolEntry(String pool, String entry) {
        throw onlyOnAPrimary();
    }

    /** A pool's entries, holders and waiters ({@code name, entries, free, waiters}), or null for no such pool. */
    default Map<String, Object> poolView(String pool) {
        throw onlyOnAPrimary();
    }

    /** Messages waiting in all queues together (a metric). */
    default long queuedMessages() {
        throw onlyOnAPrimary();
    }

    private static UnsupportedOperationException onlyOnAPrimary() {
        return new UnsupportedOperationException("only a primary's coordination answers this");
    }
}
