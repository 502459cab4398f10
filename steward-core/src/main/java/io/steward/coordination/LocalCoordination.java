package io.steward.coordination;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The coordination state of one primary: {@link #vars}, {@link #semaphores} (mutexes and counting semaphores),
 * {@link #events} (event semaphores), {@link #queues} and {@link #pools}, loaded from a {@link Journal} and kept in
 * it. The coordinator calls {@link #runEnded} when a run ends, so that nothing a run holds outlives it.
 */
public final class LocalCoordination implements Coordination {
    private final Vars vars;
    private final Semaphores semaphores;
    private final EventSemaphores events;
    private final Queues queues;
    private final Pools pools;

    public LocalCoordination(Journal journal, LongSupplier clock) {
        this.vars = new Vars(journal, clock);
        this.semaphores = new Semaphores(clock);
        this.events = new EventSemaphores(journal, clock);
        this.queues = new Queues(journal, clock);
        this.pools = new Pools(journal, clock);
    }

    /** State that lives as long as the JVM: for a script run without a primary, and for tests. */
    public static LocalCoordination inMemory() {
        return new LocalCoordination(Journal.inMemory(), System::currentTimeMillis);
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

    // ---- Coordination: what scripts reach through their handles ----

    @Override
    public Journal.StoredVar getVar(String scope, String name) {
        return vars.get(scope, name);
    }

    @Override
    public Journal.StoredVar putVar(String scope, String name, Object value, long ttlMs) {
        return vars.put(scope, name, value, ttlMs);
    }

    @Override
    public Journal.StoredVar compareAndSetVar(String scope, String name, Object expected, Object value, long ttlMs) {
        return vars.compareAndSet(scope, name, expected, value, ttlMs);
    }

    @Override
    public boolean removeVar(String scope, String name) {
        return vars.remove(scope, name);
    }

    @Override
    public List<String> varNames(String scope) {
        return vars.list(scope).stream().map(Journal.StoredVar::name).toList();
    }

    @Override
    public Semaphores.Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException {
        return semaphores.acquire(name, permits, owner, timeoutMs);
    }

    @Override
    public void release(Semaphores.Hold hold) {
        semaphores.release(hold);
    }

    @Override
    public String holders(String name) {
        for (Map<String, Object> m : semaphores.view()) {
            if (name.equals(m.get("name"))) {
                return String.valueOf(m.get("holders"));
            }
        }
        return "nobody";
    }

    @Override
    public void post(String event) {
        events.post(event);
    }

    @Override
    public void reset(String event) {
        events.reset(event);
    }

    @Override
    public int pulse(String event) {
        return events.pulse(event);
    }

    @Override
    public boolean isPosted(String event) {
        return events.isPosted(event);
    }

    @Override
    public boolean awaitEvent(String event, Owner owner, long timeoutMs) throws InterruptedException {
        return events.await(event, owner, timeoutMs);
    }

    @Override
    public long put(String queue, Object message) {
        return queues.put(queue, message);
    }

    @Override
    public Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException {
        return queues.take(queue, owner, timeoutMs);
    }

    @Override
    public int depth(String queue) {
        return queues.depth(queue);
    }

    @Override
    public Pools.PoolHold acquireEntry(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        return pools.acquire(pool, owner, timeoutMs, priority);
    }

    @Override
    public void release(Pools.PoolHold hold) {
        pools.release(hold);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> poolEntries(String pool) {
        Map<String, Object> view = pools.view(pool);
        return view == null ? List.of() : (List<Map<String, Object>>) view.get("entries");
    }

    @Override
    public void runEnded(String runId) {
        releaseAll(runId);
    }

    @Override
    public List<Journal.StoredVar> vars(String scope) {
        return vars.list(scope);
    }

    @Override
    public Journal.StoredVar setVarIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        return vars.setIfVersion(scope, name, version, value, ttlMs);
    }

    @Override
    public int sweepVars() {
        return vars.sweep();
    }

    @Override
    public void addPoolEntry(String pool, String entry, Object value) {
        pools.add(pool, entry, value);
    }

    @Override
    public boolean removePoolEntry(String pool, String entry) {
        return pools.remove(pool, entry);
    }

    @Override
    public Map<String, Object> poolView(String pool) {
        return pools.view(pool);
    }

    @Override
    public long queuedMessages() {
        return queues.view().stream().mapToLong(q -> ((Number) q.getOrDefault("depth", 0L)).longValue()).sum();
    }

    /** Holders, waiters and depths of everything in use (the API's and the console's view). */
    @Override
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locks", semaphores.view());
        m.put("events", events.view());
        m.put("queues", queues.view());
        m.put("pools", pools.view());
        return m;
    }

    /** An owner and since when, as views show holders and waiters. */
    public static Map<String, Object> who(Owner owner, long since) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", owner.runId());
        m.put("node", owner.node());
        m.put("thread", owner.thread());
        m.put("since", Instant.ofEpochMilli(since).toString());
        return m;
    }

    /** What a wait of a run that ended meanwhile ends with (its thread is being stopped anyway). */
    public static final class RunEndedWhileWaiting extends IllegalStateException {
        public RunEndedWhileWaiting(String runId) {
            // Made at every run's end, mostly never thrown: a stack trace would cost each run a walk of its stack,
            // and it would only show the ending thread's, not the waiter's.
            super("run " + runId + " ended while waiting");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
