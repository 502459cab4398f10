package io.steward.store;

import io.steward.coordination.Coordination;
import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Journal;
import io.steward.coordination.LocalCoordination;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;
import io.steward.engine.JsonValues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
 * first in line on each primary tries and whichever commits first wins; a waiter cannot starve only in that each
 * primary's line moves on.</li>
 * <li>Differences: {@code pulse} counts the waiters it woke on this primary only (those elsewhere wake too); views
 * show this primary's waiters only; pool entries are handed out by name, not by the order they were added.</li>
 * <li>Nothing held outlives its holder: {@link #runEnded} deletes a run's holds; {@link #releasePrimary} deletes a
 * dead primary's (the LOST reaper calls it) and each primary deletes its previous process's at start.</li>
 * </ul>
 */
public final class SharedCoordination implements Coordination {
    static final String CHANNEL = "steward_coord";
    static final long POLL_LISTENING_MS = 500;
    static final long POLL_MS = 250;
    /** The first key of this class's advisory locks (the second is the hash of a name). */
    private static final int ADVISORY_CLASS = 15;
    private static final String NOTIFY = "pg_notify('" + CHANNEL + "', ?)";

    private final Database db;
    private final String self;
    private final RunTail tail;
    private final LongSupplier clock;
    private final CoordinationWaiters waiters = new CoordinationWaiters();
    /** Runs that took a permit or an entry here: only their ends cost a DELETE (every run's end passes here). */
    private final Set<String> holdingRuns = ConcurrentHashMap.newKeySet();

    @FunctionalInterface
    private interface Attempt<T> {
        /** One try; with {@code take} false only the checks (a count in use, a pool that exists), answering null. */
        T run(boolean take);
    }

    SharedCoordination(Database db, String primaryId, RunTail tail, LongSupplier clock) {
        this.db = db;
        this.self = primaryId;
        this.tail = tail;
        this.clock = clock;
        catchUpMessageIds();
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

    /** Ids of messages a single primary stored before the sequence existed must not come again. */
    private void catchUpMessageIds() {
        db.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE coord_messages IN SHARE ROW EXCLUSIVE MODE")) {
                lock.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT setval('coord_message_ids', GREATEST("
                    + "(SELECT COALESCE(MAX(id), 0) FROM coord_messages), (SELECT last_value FROM coord_message_ids)))")) {
                s.execute();
            }
            return null;
        });
    }

    // ---- variables ----

    @Override
    public Journal.StoredVar getVar(String scope, String name) {
        check(scope, name);
        Journal.StoredVar v = readVar(scope, name);
        return v == null || expired(v) ? null : v;
    }

    @Override
    public Journal.StoredVar putVar(String scope, String name, Object value, long ttlMs) {
        check(scope, name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_vars (scope, name, data, version, expires_at) "
                    + "VALUES (?, ?, ?, 1, ?) ON CONFLICT (scope, name) DO UPDATE SET data = EXCLUDED.data, "
                    + "version = coord_vars.version + 1, expires_at = EXCLUDED.expires_at RETURNING version")) {
                s.setString(1, scope);
                s.setString(2, name);
                s.setString(3, Json.write(v));
                setLong(s, 4, expiresAt);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Journal.StoredVar(scope, name, v, r.getLong(1), expiresAt);
                }
            }
        });
    }

    @Override
    public Journal.StoredVar compareAndSetVar(String scope, String name, Object expected, Object value, long ttlMs) {
        check(scope, name);
        Object want = JsonValues.copy("the expected value", expected);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        while (true) {
            Journal.StoredVar row = readVar(scope, name);
            Journal.StoredVar current = row == null || expired(row) ? null : row;
            if (!Objects.equals(current == null ? null : current.value(), want) || (want == null && current != null)) {
                return null;
            }
            Journal.StoredVar set = writeIfUnchanged(row, scope, name, v, expiresAt);
            if (set != null) {
                return set;
            }
            // another primary changed it between the read and the write: compare again with what it wrote
        }
    }

    @Override
    public Journal.StoredVar setVarIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        check(scope, name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        while (true) {
            Journal.StoredVar row = readVar(scope, name);
            long now = row == null || expired(row) ? 0 : row.version();
            if (now != version) {
                return null;
            }
            Journal.StoredVar set = writeIfUnchanged(row, scope, name, v, expiresAt);
            if (set != null) {
                return set;
            }
        }
    }

    /** Writes the variable only if its row is still {@code row} (null: still absent); null when it is not. */
    private Journal.StoredVar writeIfUnchanged(Journal.StoredVar row, String scope, String name, Object v, Long expiresAt) {
        String sql = row == null
                ? "INSERT INTO coord_vars (scope, name, data, version, expires_at) VALUES (?, ?, ?, 1, ?) "
                + "ON CONFLICT (scope, name) DO NOTHING RETURNING version"
                : "UPDATE coord_vars SET data = ?, expires_at = ?, version = version + 1 "
                + "WHERE scope = ? AND name = ? AND version = ? RETURNING version";
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (row == null) {
                    s.setString(1, scope);
                    s.setString(2, name);
                    s.setString(3, Json.write(v));
                    setLong(s, 4, expiresAt);
                } else {
                    s.setString(1, Json.write(v));
                    setLong(s, 2, expiresAt);
                    s.setString(3, scope);
                    s.setString(4, name);
                    s.setLong(5, row.version());
                }
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Journal.StoredVar(scope, name, v, r.getLong(1), expiresAt) : null;
                }
            }
        });
    }

    @Override
    public boolean removeVar(String scope, String name) {
        check(scope, name);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM coord_vars WHERE scope = ? AND name = ? RETURNING expires_at")) {
                s.setString(1, scope);
                s.setString(2, name);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return false;
                    }
                    long expires = r.getLong(1);
                    return r.wasNull() || expires > clock.getAsLong();
                }
            }
        });
    }

    @Override
    public List<String> varNames(String scope) {
        return vars(CoordinationNames.checkScope(scope)).stream().map(Journal.StoredVar::name).toList();
    }

    @Override
    public List<Journal.StoredVar> vars(String scope) {
        if (scope != null) {
            CoordinationNames.checkScope(scope);
        }
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT scope, name, data, version, expires_at FROM coord_vars "
                    + "WHERE (? IS NULL OR scope = ?) AND (expires_at IS NULL OR expires_at > ?) "
                    + "ORDER BY scope COLLATE \"C\", name COLLATE \"C\"")) {
                s.setString(1, scope);
                s.setString(2, scope);
                s.setLong(3, clock.getAsLong());
                List<Journal.StoredVar> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(var(r));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int sweepVars() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_vars WHERE expires_at <= ?")) {
                s.setLong(1, clock.getAsLong());
                return s.executeUpdate();
            }
        });
    }

    private Journal.StoredVar readVar(String scope, String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT scope, name, data, version, expires_at FROM coord_vars WHERE scope = ? AND name = ?")) {
                s.setString(1, scope);
                s.setString(2, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? var(r) : null;
                }
            }
        });
    }

    private static Journal.StoredVar var(ResultSet r) throws SQLException {
        long expires = r.getLong(5);
        Long expiresAt = r.wasNull() ? null : expires;
        return new Journal.StoredVar(r.getString(1), r.getString(2), value(r.getString(3)), r.getLong(4), expiresAt);
    }

    private boolean expired(Journal.StoredVar v) {
        return v.expiresAt() != null && v.expiresAt() <= clock.getAsLong();
    }

    private Long expiry(String name, long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("variable '" + name + "': ttl must be 0 (none) or more milliseconds, not " + ttlMs);
        }
        return ttlMs == 0 ? null : clock.getAsLong() + ttlMs;
    }

    private static void check(String scope, String name) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
    }

    // ---- mutexes and semaphores ----

    @Override
    public Semaphores.Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException {
        String what = permits == 1 ? "lock" : "semaphore";
        CoordinationNames.check(what, name);
        CoordinationNames.checkTimeout(what + " '" + name + "'", timeoutMs);
        if (permits < 1) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be 1 or more, not " + permits);
        }
        return waitFor("lock:" + name, owner, 0, timeoutMs, true, take -> grant(name, permits, owner, take), this::release);
    }

    private Semaphores.Hold grant(String name, int permits, Owner owner, boolean take) {
        String what = permits == 1 ? "lock" : "semaphore";
        if (take && owner.runId() != null) {
            holdingRuns.add(owner.runId()); // before the row exists: a run that ends meanwhile still looks
        }
        return db.inTransaction(c -> {
            advisoryLock(c, "lock:" + name);
            int held = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT permits, run_id, node, thread FROM coord_holds WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        held++;
                        int inUse = r.getInt(1);
                        if (inUse != permits) {
                            throw new IllegalArgumentException(what + " '" + name + "' is in use with " + inUse
                                    + " permit" + (inUse == 1 ? "" : "s") + "; this call asks for " + permits
                                    + ": use the same count everywhere");
                        }
                        if (permits == 1 && owner.equals(new Owner(r.getString(2), r.getString(3), r.getString(4)))) {
                            throw new IllegalStateException("lock '" + name + "' is already held by this thread: "
                                    + "locks are not re-entrant (take it once, around all the work)");
                        }
                    }
                }
            }
            if (!take || held >= permits) {
                return null;
            }
            long since = clock.getAsLong();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_holds (id, name, permits, run_id, node, "
                    + "thread, primary_id, since) VALUES (nextval('coord_hold_ids'), ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                s.setString(1, name);
                s.setInt(2, permits);
                s.setString(3, owner.runId());
                s.setString(4, owner.node());
                s.setString(5, owner.thread());
                s.setString(6, self);
                s.setLong(7, since);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Semaphores.Hold(name, r.getLong(1), owner, since);
                }
            }
        });
    }

    @Override
    public void release(Semaphores.Hold hold) {
        String key = "lock:" + hold.name();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH d AS (DELETE FROM coord_holds WHERE id = ? RETURNING 1) "
                    + "SELECT (SELECT count(*) FROM d), " + NOTIFY)) {
                s.setLong(1, hold.id());
                s.setString(2, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
    }

    @Override
    public String holders(String name) {
        List<Map<String, Object>> holders = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT run_id, node, thread, since FROM coord_holds WHERE name = ? ORDER BY id")) {
                s.setString(1, name);
                List<Map<String, Object>> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(LocalCoordination.who(new Owner(r.getString(1), r.getString(2), r.getString(3)), r.getLong(4)));
                    }
                }
                return out;
            }
        });
        return holders.isEmpty() && !waiters.anyWaiting("lock:" + name) ? "nobody" : String.valueOf(holders);
    }

    // ---- event semaphores ----

    @Override
    public void post(String event) {
        CoordinationNames.check("event", event);
        String key = "event:" + event;
        db.read(c -> {
            // The generation moves too: a waiter elsewhere that looks only after a reset still knows it was posted.
            try (PreparedStatement s = c.prepareStatement("WITH p AS (INSERT INTO coord_events (name) VALUES (?) "
                    + "ON CONFLICT (name) DO NOTHING), " + bump() + " SELECT " + NOTIFY)) {
                s.setString(1, event);
                s.setString(2, event);
                s.setString(3, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
    }

    @Override
    public void reset(String event) {
        CoordinationNames.check("event", event);
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_events WHERE name = ?")) {
                s.setString(1, event);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int pulse(String event) {
        CoordinationNames.check("event", event);
        String key = "event:" + event;
        int here = waiters.waiting(key).size();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH " + bump() + " SELECT " + NOTIFY)) {
                s.setString(1, event);
                s.setString(2, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
        return here;
    }

    private static String bump() {
        return "g AS (INSERT INTO coord_event_pulses (name, generation) VALUES (?, 1) ON CONFLICT (name) "
                + "DO UPDATE SET generation = coord_event_pulses.generation + 1)";
    }

    @Override
    public boolean isPosted(String event) {
        CoordinationNames.check("event", event);
        return eventState(event)[0] == 1;
    }

    @Override
    public boolean awaitEvent(String event, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("event", event);
        CoordinationNames.checkTimeout("event '" + event + "'", timeoutMs);
        long[] first = eventState(event);
        if (first[0] == 1) {
            return true;
        }
        if (timeoutMs == 0) {
            return false;
        }
        Boolean woken = waitFor("event:" + event, owner, 0, timeoutMs, false, take -> {
            long[] now = eventState(event);
            return now[0] == 1 || now[1] != first[1] ? Boolean.TRUE : null;
        }, b -> { });
        return woken != null;
    }

    /** {posted (1 or 0), generation}. */
    private long[] eventState(String event) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM coord_events WHERE name = ?), "
                    + "(SELECT generation FROM coord_event_pulses WHERE name = ?)")) {
                s.setString(1, event);
                s.setString(2, event);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new long[] {r.getLong(1), r.getLong(2)};
                }
            }
        });
    }

    // ---- queues ----

    @Override
    public long put(String queue, Object message) {
        CoordinationNames.check("queue", queue);
        Object value = JsonValues.copy("the message", message);
        long id = insertMessage(queue, null, value);
        waiters.changed("queue:" + queue);
        return id;
    }

    /** Stores a message with a new id, or with {@code id} (one given back); announces it. */
    private long insertMessage(String queue, Long id, Object value) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH m AS (INSERT INTO coord_messages (queue, id, data) VALUES "
                    + "(?, " + (id == null ? "nextval('coord_message_ids')" : "?") + ", ?) RETURNING id) SELECT id, "
                    + NOTIFY + " FROM m")) {
                int i = 1;
                s.setString(i++, queue);
                if (id != null) {
                    s.setLong(i++, id);
                }
                s.setString(i++, Json.write(value));
                s.setString(i, "queue:" + queue + " " + self);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    @Override
    public Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("queue", queue);
        CoordinationNames.checkTimeout("queue '" + queue + "'", timeoutMs);
        // A taker whose run ended just as a message reached it puts the message back where it was: not lost.
        return waitFor("queue:" + queue, owner, 0, timeoutMs, true, take -> take ? takeHead(queue) : null,
                m -> insertMessage(queue, m.id(), m.value()));
    }

    private Journal.StoredMessage takeHead(String queue) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_messages WHERE queue = ? AND id = (SELECT id "
                    + "FROM coord_messages WHERE queue = ? ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, data")) {
                s.setString(1, queue);
                s.setString(2, queue);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Journal.StoredMessage(queue, r.getLong(1), value(r.getString(2))) : null;
                }
            }
        });
    }

    @Override
    public int depth(String queue) {
        CoordinationNames.check("queue", queue);
        return (int) count("SELECT count(*) FROM coord_messages WHERE queue = ?", queue);
    }

    @Override
    public long queuedMessages() {
        return count("SELECT count(*) FROM coord_messages", null);
    }

    // ---- resource pools ----

    @Override
    public void addPoolEntry(String pool, String entry, Object value) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        Object v = JsonValues.copy("the entry's value", value);
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH e AS (INSERT INTO coord_pool_entries (pool, entry, data, "
                    + "leaving) VALUES (?, ?, ?, FALSE) ON CONFLICT (pool, entry) DO UPDATE SET data = EXCLUDED.data, "
                    + "leaving = FALSE) SELECT " + NOTIFY)) {
                s.setString(1, pool);
                s.setString(2, entry);
                s.setString(3, Json.write(v));
                s.setString(4, "pool:" + pool + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed("pool:" + pool);
    }

    @Override
    public boolean removePoolEntry(String pool, String entry) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        return db.inTransaction(c -> {
            advisoryLock(c, "pool:" + pool);
            // A held entry stays with its holder and leaves when released; a free one leaves now.
            try (PreparedStatement s = c.prepareStatement("UPDATE coord_pool_entries e SET leaving = TRUE WHERE pool = ? "
                    + "AND entry = ? AND NOT leaving AND EXISTS (SELECT 1 FROM coord_pool_holds h WHERE h.pool = e.pool "
                    + "AND h.entry = e.entry)")) {
                s.setString(1, pool);
                s.setString(2, entry);
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM coord_pool_entries WHERE pool = ? AND entry = ? AND NOT leaving")) {
                s.setString(1, pool);
                s.setString(2, entry);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Pools.PoolHold acquireEntry(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        CoordinationNames.check("pool", pool);
        CoordinationNames.checkTimeout("pool '" + pool + "'", timeoutMs);
        return waitFor("pool:" + pool, owner, priority, timeoutMs, true, take -> grantEntry(pool, owner, take),
                this::release);
    }

    private Pools.PoolHold grantEntry(String pool, Owner owner, boolean take) {
        if (take && owner.runId() != null) {
            holdingRuns.add(owner.runId());
        }
        return db.inTransaction(c -> {
            advisoryLock(c, "pool:" + pool);
            String free = null;
            Object value = null;
            boolean any = false;
            try (PreparedStatement s = c.prepareStatement("SELECT e.entry, e.data FROM coord_pool_entries e WHERE e.pool = ? "
                    + "AND NOT e.leaving AND NOT EXISTS (SELECT 1 FROM coord_pool_holds h WHERE h.pool = e.pool AND "
                    + "h.entry = e.entry) ORDER BY e.entry COLLATE \"C\" LIMIT 1")) {
                s.setString(1, pool);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        any = true;
                        free = r.getString(1);
                        value = value(r.getString(2));
                    }
                }
            }
            if (!any && count(c, "SELECT count(*) FROM coord_pool_entries WHERE pool = ?", pool) == 0) {
                throw new IllegalArgumentException("there is no pool '" + pool + "': add its entries first, e.g. "
                        + "`steward pool add " + pool + " ENTRY`");
            }
            if (!take || free == null) {
                return null;
            }
            long since = clock.getAsLong();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_pool_holds (pool, entry, run_id, node, "
                    + "thread, primary_id, since) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, pool);
                s.setString(2, free);
                s.setString(3, owner.runId());
                s.setString(4, owner.node());
                s.setString(5, owner.thread());
                s.setString(6, self);
                s.setLong(7, since);
                s.executeUpdate();
            }
            return new Pools.PoolHold(pool, free, value, owner, since);
        });
    }

    @Override
    public void release(Pools.PoolHold hold) {
        String key = "pool:" + hold.pool();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_pool_holds WHERE pool = ? AND entry = ? "
                    + "AND since = ? AND run_id IS NOT DISTINCT FROM ? AND thread IS NOT DISTINCT FROM ?")) {
                s.setString(1, hold.pool());
                s.setString(2, hold.entry());
                s.setLong(3, hold.since());
                s.setString(4, hold.owner().runId());
                s.setString(5, hold.owner().thread());
                if (s.executeUpdate() == 0) {
                    return null; // given back already
                }
            }
            entryReleased(c, hold.pool(), hold.entry());
            return null;
        });
        waiters.changed(key);
    }

    /** After an entry's hold is deleted: it leaves if it was removed meanwhile; its pool's waiters are told. */
    private void entryReleased(Connection c, String pool, String entry) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM coord_pool_entries WHERE pool = ? AND entry = ? AND leaving")) {
            s.setString(1, pool);
            s.setString(2, entry);
            s.executeUpdate();
        }
        notify(c, "pool:" + pool);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> poolEntries(String pool) {
        Map<String, Object> view = poolView(pool);
        return view == null ? List.of() : (List<Map<String, Object>>) view.get("entries");
    }

    @Override
    public Map<String, Object> poolView(String pool) {
        CoordinationNames.check("pool", pool);
        List<Map<String, Object>> entries = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT e.entry, e.data, e.leaving, h.run_id, h.node, h.thread, "
                    + "h.since FROM coord_pool_entries e LEFT JOIN coord_pool_holds h ON h.pool = e.pool AND h.entry = "
                    + "e.entry WHERE e.pool = ? ORDER BY e.entry COLLATE \"C\"")) {
                s.setString(1, pool);
                List<Map<String, Object>> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("entry", r.getString(1));
                        entry.put("value", value(r.getString(2)));
                        long since = r.getLong(7);
                        entry.put("holder", r.wasNull() ? null
                                : LocalCoordination.who(new Owner(r.getString(4), r.getString(5), r.getString(6)), since));
                        entry.put("leaving", r.getBoolean(3));
                        out.add(entry);
                    }
                }
                return out;
            }
        });
        List<CoordinationWaiters.Waiting> waiting = waiters.waiting("pool:" + pool);
        if (entries.isEmpty() && waiting.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", pool);
        m.put("entries", entries);
        m.put("free", entries.stream().filter(e -> e.get("holder") == null).count());
        m.put("waiters", waiting.stream().map(w -> {
            Map<String, Object> who = LocalCoordination.who(w.owner, w.since);
            who.put("priority", (long) w.priority);
            return who;
        }).toList());
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
                entryReleased(c, e[0], e[1]);
                keys.add("pool:" + e[0]);
            }
            for (String key : keys) {
                if (key.startsWith("lock:")) {
                    notify(c, key);
                }
            }
            return n;
        });
        keys.forEach(waiters::changed);
        return released;
    }

    // ---- views ----

    @Override
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locks", locksView());
        m.put("events", eventsView());
        m.put("queues", queuesView());
        List<Map<String, Object>> pools = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(strings("SELECT DISTINCT pool FROM coord_pool_entries"));
        names.addAll(waiters.names("pool"));
        for (String pool : names) {
            Map<String, Object> view = poolView(pool);
            if (view != null) {
                pools.add(view);
            }
        }
        m.put("pools", pools);
        return m;
    }

    private List<Map<String, Object>> locksView() {
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, permits, run_id, node, thread, since FROM coord_holds ORDER BY id");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> sem = lockView(byName, r.getString(1), r.getInt(2));
                    holdersOf(sem).add(LocalCoordination.who(new Owner(r.getString(3), r.getString(4), r.getString(5)), r.getLong(6)));
                }
            }
            return null;
        });
        for (String name : waiters.names("lock")) {
            Map<String, Object> sem = lockView(byName, name, 1);
            sem.put("waiters", waiters.waiting("lock:" + name).stream()
                    .map(w -> LocalCoordination.who(w.owner, w.since)).toList());
        }
        return List.copyOf(byName.values());
    }

    private static Map<String, Object> lockView(Map<String, Map<String, Object>> byName, String name, int permits) {
        return byName.computeIfAbsent(name, n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n);
            m.put("kind", permits == 1 ? "mutex" : "semaphore");
            m.put("permits", (long) permits);
            m.put("holders", new ArrayList<Map<String, Object>>());
            m.put("waiters", List.of());
            return m;
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> holdersOf(Map<String, Object> sem) {
        return (List<Map<String, Object>>) sem.get("holders");
    }

    private List<Map<String, Object>> eventsView() {
        Set<String> posted = new java.util.TreeSet<>(strings("SELECT name FROM coord_events"));
        Set<String> names = new java.util.TreeSet<>(posted);
        names.addAll(waiters.names("event"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("posted", posted.contains(name));
            m.put("waiters", waiters.waiting("event:" + name).stream().map(w -> LocalCoordination.who(w.owner, w.since)).toList());
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> queuesView() {
        Map<String, Long> depths = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT queue, count(*) FROM coord_messages GROUP BY queue");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    depths.put(r.getString(1), r.getLong(2));
                }
            }
            return null;
        });
        waiters.names("queue").forEach(q -> depths.putIfAbsent(q, 0L));
        List<Map<String, Object>> out = new ArrayList<>();
        depths.forEach((name, depth) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("depth", depth);
            m.put("waiters", waiters.waiting("queue:" + name).stream().map(w -> LocalCoordination.who(w.owner, w.since)).toList());
            out.add(m);
        });
        return out;
    }

    // ---- waiting ----

    /**
     * Tries, and while it got nothing waits in {@code key}'s line until a notice (or the slow poll) says to look again,
     * for up to {@code timeoutMs}. In a line ({@code inLine}) only the first waiter tries, and a newcomer does not try
     * past those already waiting. What came to a waiter whose run ended meanwhile goes back through {@code undo}.
     */
    private <T> T waitFor(String key, Owner owner, int priority, long timeoutMs, boolean inLine, Attempt<T> attempt,
                          Consumer<T> undo) throws InterruptedException {
        if (!inLine || !waiters.anyWaiting(key)) {
            T got = attempt.run(true);
            if (got != null) {
                return got;
            }
        } else {
            attempt.run(false);
        }
        if (timeoutMs == 0) {
            return null;
        }
        boolean forever = timeoutMs >= Long.MAX_VALUE / 1_000_000;
        long deadline = forever ? 0 : System.nanoTime() + timeoutMs * 1_000_000;
        CoordinationWaiters.Waiting w = waiters.join(key, owner, priority);
        try {
            while (true) {
                long seen = waiters.changes(key);
                if (!inLine || waiters.first(w)) {
                    T got = attempt.run(true);
                    if (got != null) {
                        if (w.refused != null) {
                            undo.accept(got);
                            throw w.refused;
                        }
                        return got;
                    }
                }
                long poll = tail.listening() ? POLL_LISTENING_MS : POLL_MS;
                long left = forever ? poll : (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                waiters.await(w, seen, Math.min(left, poll));
            }
        } finally {
            waiters.leave(w);
        }
    }

    // ---- helpers ----

    /** Serialises this transaction with every other one on {@code key} (on any primary) until it ends. */
    private static void advisoryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            s.setInt(1, ADVISORY_CLASS);
            s.setString(2, key);
            s.executeQuery().close();
        }
    }

    /** Announces a change of {@code key} to every primary, once the transaction commits. */
    private void notify(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + NOTIFY)) {
            s.setString(1, key + " " + self);
            s.executeQuery().close();
        }
    }

    private long count(String sql, String param) {
        return db.read(c -> count(c, sql, param));
    }

    private static long count(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private List<String> strings(String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    /** A stored JSON value as scripts see values: whole numbers as Long, as {@link JsonValues} makes them. */
    private static Object value(String json) {
        return JsonValues.copy("a stored value", Json.read(json));
    }
}
