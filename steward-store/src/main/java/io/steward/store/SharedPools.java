package io.steward.store;

import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.engine.JsonValues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@link SharedCoordination}'s resource pools: entries are rows of {@code coord_pool_entries}, each held entry a row
 * of {@code coord_pool_holds}, granted under a transaction-scoped advisory lock of the pool's name. Free entries go
 * out in name order. An entry removed while held is marked leaving and goes when released.
 */
final class SharedPools {
    private final Database db;
    private final String self;
    private final LongSupplier clock;
    private final CoordinationWaiters waiters;
    /** Runs that asked for an entry here (see {@link SharedCoordination#runEnded}). */
    private final Set<String> holdingRuns;

    SharedPools(Database db, String self, LongSupplier clock, CoordinationWaiters waiters, Set<String> holdingRuns) {
        this.db = db;
        this.self = self;
        this.clock = clock;
        this.waiters = waiters;
        this.holdingRuns = holdingRuns;
    }

    void add(String pool, String entry, Object value) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        Object v = JsonValues.copy("the entry's value", value);
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH e AS (INSERT INTO coord_pool_entries (pool, entry, data, "
                    + "leaving) VALUES (?, ?, ?, FALSE) ON CONFLICT (pool, entry) DO UPDATE SET data = EXCLUDED.data, "
                    + "leaving = FALSE) SELECT " + CoordinationRows.NOTIFY)) {
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

    boolean remove(String pool, String entry) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        return db.inTransaction(c -> {
            CoordinationRows.advisoryLock(c, "pool:" + pool);
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

    Pools.PoolHold acquire(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        CoordinationNames.check("pool", pool);
        CoordinationNames.checkTimeout("pool '" + pool + "'", timeoutMs);
        return waiters.waitFor("pool:" + pool, owner, priority, timeoutMs, true, take -> grantEntry(pool, owner, take),
                this::release);
    }

    private Pools.PoolHold grantEntry(String pool, Owner owner, boolean take) {
        if (take && owner.runId() != null) {
            holdingRuns.add(owner.runId());
        }
        return db.inTransaction(c -> {
            CoordinationRows.advisoryLock(c, "pool:" + pool);
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
                        value = CoordinationRows.value(r.getString(2));
                    }
                }
            }
            if (!any && CoordinationRows.count(c, "SELECT count(*) FROM coord_pool_entries WHERE pool = ?", pool) == 0) {
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

    void release(Pools.PoolHold hold) {
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
    void entryReleased(Connection c, String pool, String entry) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM coord_pool_entries WHERE pool = ? AND entry = ? AND leaving")) {
            s.setString(1, pool);
            s.setString(2, entry);
            s.executeUpdate();
        }
        CoordinationRows.notify(c, "pool:" + pool, self);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries(String pool) {
        Map<String, Object> view = view(pool);
        return view == null ? List.of() : (List<Map<String, Object>>) view.get("entries");
    }

    Map<String, Object> view(String pool) {
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
                        entry.put("value", CoordinationRows.value(r.getString(2)));
                        long since = r.getLong(7);
                        entry.put("holder", r.wasNull() ? null : CoordinationRows.who(r, 4));
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
            Map<String, Object> who = CoordinationRows.who(w);
            who.put("priority", (long) w.priority);
            return who;
        }).toList());
        return m;
    }

    /** Every pool. */
    List<Map<String, Object>> view() {
        Set<String> names = new java.util.TreeSet<>(CoordinationRows.strings(db, "SELECT DISTINCT pool FROM coord_pool_entries"));
        names.addAll(waiters.names("pool"));
        List<Map<String, Object>> pools = new ArrayList<>();
        for (String pool : names) {
            Map<String, Object> view = view(pool);
            if (view != null) {
                pools.add(view);
            }
        }
        return pools;
    }
}
