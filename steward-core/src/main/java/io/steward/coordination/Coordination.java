package io.steward.coordination;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The coordination state of one primary: {@link #vars}, {@link #semaphores} (mutexes and counting semaphores),
 * {@link #events} (event semaphores), {@link #queues} and {@link #pools}, loaded from a {@link Journal} and kept in
 * it. The coordinator calls {@link #releaseAll} when a run ends, so that nothing a run holds outlives it.
 */
public final class Coordination {
    private final Vars vars;
    private final Semaphores semaphores;
    private final EventSemaphores events;
    private final Queues queues;
    private final Pools pools;

    public Coordination(Journal journal, LongSupplier clock) {
        this.vars = new Vars(journal, clock);
        this.semaphores = new Semaphores(clock);
        this.events = new EventSemaphores(journal, clock);
        this.queues = new Queues(journal, clock);
        this.pools = new Pools(journal, clock);
    }

    /** State that lives as long as the JVM: for a script run without a primary, and for tests. */
    public static Coordination inMemory() {
        return new Coordination(Journal.inMemory(), System::currentTimeMillis);
    }

    public Vars vars() {
        return vars;
    }

    public Semaphores semaphores() {
        return semaphores;
    }

    public EventSemaphores events() {
        return events;
    }

    public Queues queues() {
        return queues;
    }

    public Pools pools() {
        return pools;
    }

    /**
     * Releases everything run {@code runId} holds (locks, semaphore permits, pool entries) and ends its waits:
     * called when the run ends, however it ends. Returns how many holds were released.
     */
    public int releaseAll(String runId) {
        RunEndedWhileWaiting why = new RunEndedWhileWaiting(runId);
        events.releaseAll(runId, why);
        queues.releaseAll(runId, why);
        return semaphores.releaseAll(runId, why) + pools.releaseAll(runId, why);
    }

    /** Holders, waiters and depths of everything in use (the API's and the console's view). */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locks", semaphores.view());
        m.put("events", events.view());
        m.put("queues", queues.view());
        m.put("pools", pools.view());
        return m;
    }

    /** An owner and since when, as views show holders and waiters. */
    static Map<String, Object> who(Owner owner, long since) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", owner.runId());
        m.put("node", owner.node());
        m.put("thread", owner.thread());
        m.put("since", Instant.ofEpochMilli(since).toString());
        return m;
    }

    /** What a wait of a run that ended meanwhile ends with (its thread is being stopped anyway). */
    public static final class RunEndedWhileWaiting extends IllegalStateException {
        RunEndedWhileWaiting(String runId) {
            super("run " + runId + " ended while waiting");
        }
    }
}
