package io.steward.coordination;

import java.util.List;
import java.util.Map;

/**
 * What a run's script reaches through {@code vars}, {@code lock}, {@code semaphore}, {@code event}, {@code queue}
 * and {@code pool}: on the primary its own state ({@link LocalCoordination}); on an agent the primary's, over the
 * agent link. Names, timeouts and values are checked as {@link CoordinationNames} and
 * {@link io.steward.engine.JsonValues} say; a wait of {@code timeoutMs} 0 only tries.
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
}
