package io.steward.store;

import io.steward.coordination.Coordination;
import io.steward.coordination.Journal;
import io.steward.coordination.LocalCoordination;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Coordination kept in PostgreSQL, for several primaries on one database (issue 15): every primary's scripts see the
 * same variables, locks and semaphores, events, queues and pools, because all of it, holders included, is rows.
 * The semantics are {@link LocalCoordination}'s as far as {@link Coordination} promises; where they differ it says so
 * below.
 *
 * <ul>
 * <li>Each change is one transaction. A variable's compare-and-set reads, compares as JSON (as LocalCoordination
 * does) and writes with {@code UPDATE … WHERE version = ?}, reading again if another primary came between. A queue
 * take is one {@code DELETE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}: two takers never get one
 * message. A permit or a pool entry is granted under a transaction-scoped advisory lock of its name. Message and hold
 * ids come from sequences.</li>
 * <li>Waiting: a change that may let someone go on sends a {@code NOTIFY} on {@value #CHANNEL} (payload
 * {@code kind:name sender}) inside its own statement, so it is delivered only once the change is visible. Each
 * primary hears them on its {@link RunTail}'s listening connection (one listening thread per primary) and wakes its
 * waiters of that name; each waiter also looks again every {@link #POLL_LISTENING_MS} ms ({@link #POLL_MS} while the
 * connection is down), so a missed notice costs at most that.</li>
 * <li>Fairness: on one primary, waiters for a permit, a message or a pool entry are served in order (pools by
 * priority, then arrival): only the first in line tries. Across primaries there is no order: after a release, the
 * first in line on each primary tries and whichever commits first wins, so a waiter on one primary can lose to
 * newcomers on another.</li>
 * <li>Differences: {@code pulse} counts the waiters it woke on this primary only (those elsewhere wake too); views
 * show this primary's waiters only; pool entries are handed out by name, not by the order they were added.</li>
 * <li>Nothing held outlives its holder: {@link #runEnded} deletes a run's holds; {@link #releasePrimary} deletes a
 * dead primary's (the LOST reaper calls it) and each primary deletes its previous process's at start. Only runs that
 * asked for a hold on this primary cost a DELETE at their end, so a run on an agent that failed over to another
 * primary after taking a hold here keeps it until this primary restarts or is reaped.</li>
 * </ul>
 */
public final class SharedCoordination implements Coordination {
    static final String CHANNEL = CoordinationRows.CHANNEL;
    static final long POLL_LISTENING_MS = 500;
    static final long POLL_MS = 250;

    private final Database db;
    private final String self;
    private final CoordinationWaiters waiters;
    /** Runs that asked for a permit or an entry here: only their ends cost a DELETE (every run's end passes here). */
    private final Set<String> holdingRuns = ConcurrentHashMap.newKeySet();
    private final SharedVars vars;
    private final SharedSemaphores semaphores;
    private final SharedEvents events;
    private final SharedQueues queues;
    private final SharedPools pools;

    SharedCoordination(Database db, String primaryId, RunTail tail, LongSupplier clock) {
        this.db = db;
        this.self = primaryId;
        this.waiters = new CoordinationWaiters(() -> tail.listening() ? POLL_LISTENING_MS : POLL_MS);
        this.vars = new SharedVars(db, clock);
        this.semaphores = new SharedSemaphores(db, self, clock, waiters, holdingRuns);
        this.events = new SharedEvents(db, self, waiters);
        this.queues = new SharedQueues(db, self, waiters);
        this.pools = new SharedPools(db, self, clock, waiters, holdingRuns);
        queues.catchUpMessageIds();
        releasePrimary(self); // what this primary's previous process held: its runs are LOST now
        tail.listenCoordination(new RunTail.CoordinationNotices() {
            @Override
            public void noticed(String payload) {
                int space = payload.lastIndexOf(' ');
                if (space > 0 && !payload.substring(space + 1).equals(self)) {
                    waiters.changed(payload.substring(0, space)); // this primary's own changes woke its waiters already
                }
            }

            @Override
            public void missed() {
                waiters.changedAll();
            }
        });
    }

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
    public Journal.StoredVar setVarIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        return vars.setIfVersion(scope, name, version, value, ttlMs);
    }

    @Override
    public boolean removeVar(String scope, String name) {
        return vars.remove(scope, name);
    }

    @Override
    public List<String> varNames(String scope) {
        return vars.names(scope);
    }

    @Override
    public List<Journal.StoredVar> vars(String scope) {
        return vars.list(scope);
    }

    @Override
    public int sweepVars() {
        return vars.sweep();
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
        return semaphores.holders(name);
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
    public long queuedMessages() {
        return queues.messages();
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
    public Pools.PoolHold acquireEntry(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        return pools.acquire(pool, owner, timeoutMs, priority);
    }

    @Override
    public void release(Pools.PoolHold hold) {
        pools.release(hold);
    }

    @Override
    public List<Map<String, Object>> poolEntries(String pool) {
        return pools.entries(pool);
    }

    @Override
    public Map<String, Object> poolView(String pool) {
        return pools.view(pool);
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locks", semaphores.view());
        m.put("events", events.view());
        m.put("queues", queues.view());
        m.put("pools", pools.view());
        return m;
    }

    // ---- ends of runs and primaries ----

    @Override
    public void runEnded(String runId) {
        waiters.refuse(runId, new LocalCoordination.RunEndedWhileWaiting(runId));
        if (holdingRuns.remove(runId)) {
            releaseWhere("run_id", runId);
        }
    }

    /**
     * Releases every hold of primary {@code primaryId}: it is gone (the LOST reaper found it so), or it is this
     * primary and those were its previous process's. Returns how many holds there were.
     */
    public int releasePrimary(String primaryId) {
        return releaseWhere("primary_id", primaryId);
    }

    private int releaseWhere(String column, String value) {
        Set<String> keys = new LinkedHashSet<>();
        int released = db.inTransaction(c -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM coord_holds WHERE " + column + " = ? RETURNING name")) {
                s.setString(1, value);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        n++;
                        keys.add("lock:" + r.getString(1));
                    }
                }
            }
            List<String[]> entries = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM coord_pool_holds WHERE " + column + " = ? RETURNING pool, entry")) {
                s.setString(1, value);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        entries.add(new String[] {r.getString(1), r.getString(2)});
                    }
                }
            }
            for (String[] e : entries) {
                n++;
                pools.entryReleased(c, e[0], e[1]);
                keys.add("pool:" + e[0]);
            }
            for (String key : keys) {
                if (key.startsWith("lock:")) {
                    CoordinationRows.notify(c, key, self);
                }
            }
            return n;
        });
        keys.forEach(waiters::changed);
        return released;
    }
}
