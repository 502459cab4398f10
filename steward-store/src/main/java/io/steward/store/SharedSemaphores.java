package io.steward.store;

import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Owner;
import io.steward.coordination.Semaphores;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * {@link SharedCoordination}'s mutexes and counting semaphores: each permit held is a row of {@code coord_holds},
 * granted under a transaction-scoped advisory lock of the semaphore's name, so primaries never grant more than the
 * permits between them. The count in use is the one the holders asked for; a mutex is not re-entrant. A release
 * announces itself; the waiters of every primary look again.
 */
final class SharedSemaphores {
    private final Database db;
    private final String self;
    private final LongSupplier clock;
    private final CoordinationWaiters waiters;
    /** Runs that asked for a permit here (see {@link SharedCoordination#runEnded}). */
    private final Set<String> holdingRuns;

    SharedSemaphores(Database db, String self, LongSupplier clock, CoordinationWaiters waiters, Set<String> holdingRuns) {
        this.db = db;
        this.self = self;
        this.clock = clock;
        this.waiters = waiters;
        this.holdingRuns = holdingRuns;
    }

    Semaphores.Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException {
        String what = permits == 1 ? "lock" : "semaphore";
        CoordinationNames.check(what, name);
        CoordinationNames.checkTimeout(what + " '" + name + "'", timeoutMs);
        if (permits < 1) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be 1 or more, not " + permits);
        }
        return waiters.waitFor("lock:" + name, owner, 0, timeoutMs, true, take -> grant(name, permits, owner, take), this::release);
    }

    private Semaphores.Hold grant(String name, int permits, Owner owner, boolean take) {
        String what = permits == 1 ? "lock" : "semaphore";
        if (take && owner.runId() != null) {
            holdingRuns.add(owner.runId()); // before the row exists: a run that ends meanwhile still looks
        }
        return db.inTransaction(c -> {
            CoordinationRows.advisoryLock(c, "lock:" + name);
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

    void release(Semaphores.Hold hold) {
        String key = "lock:" + hold.name();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH d AS (DELETE FROM coord_holds WHERE id = ? RETURNING 1) "
                    + "SELECT (SELECT count(*) FROM d), " + CoordinationRows.NOTIFY)) {
                s.setLong(1, hold.id());
                s.setString(2, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
    }

    String holders(String name) {
        List<Map<String, Object>> holders = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT run_id, node, thread, since FROM coord_holds WHERE name = ? ORDER BY id")) {
                s.setString(1, name);
                List<Map<String, Object>> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(CoordinationRows.who(r, 1));
                    }
                }
                return out;
            }
        });
        return holders.isEmpty() && !waiters.anyWaiting("lock:" + name) ? "nobody" : String.valueOf(holders);
    }

    /** Every semaphore held (or waited for here): name, permits, holders, this primary's waiters. */
    List<Map<String, Object>> view() {
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, permits, run_id, node, thread, since FROM coord_holds ORDER BY id");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> sem = lockView(byName, r.getString(1), r.getInt(2));
                    holdersOf(sem).add(CoordinationRows.who(r, 3));
                }
            }
            return null;
        });
        for (String name : waiters.names("lock")) {
            Map<String, Object> sem = lockView(byName, name, 1);
            sem.put("waiters", waiters.waiting("lock:" + name).stream()
                    .map(CoordinationRows::who).toList());
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
}
