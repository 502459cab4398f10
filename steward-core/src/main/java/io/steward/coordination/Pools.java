package io.steward.coordination;

import io.steward.engine.JsonValues;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Resource pools: named sets of entries (test machines, licences, phones), each held by at most one owner at a time.
 * Waiters are served by priority, highest first, and in arrival order within a priority. A pool exists while it has
 * entries; its entries are stored, its holders are not (every holder is a run, see the package comment). An entry
 * removed while held leaves the pool when its holder releases it.
 */
public final class Pools {

    /** An entry held: give it back with {@link #release}. */
    public record PoolHold(String pool, String entry, Object value, Owner owner, long since) {
    }

    private static final Comparator<Waiter<PoolHold>> ORDER =
            Comparator.<Waiter<PoolHold>>comparingInt(w -> -w.priority).thenComparingLong(w -> w.seq);

    private final Journal journal;
    private final LongSupplier clock;
    private final Map<String, Pool> pools = new TreeMap<>();
    private long ids;

    private static final class Pool {
        final String name;
        final Map<String, Object> entries = new LinkedHashMap<>();
        final Map<String, PoolHold> held = new LinkedHashMap<>();
        final Set<String> leaving = new TreeSet<>();
        final PriorityQueue<Waiter<PoolHold>> waiters = new PriorityQueue<>(ORDER);

        Pool(String name) {
            this.name = name;
        }
    }

    Pools(Journal journal, LongSupplier clock) {
        this.journal = journal;
        this.clock = clock;
        for (Journal.StoredEntry e : journal.entries()) {
            pools.computeIfAbsent(e.pool(), Pool::new).entries.put(e.entry(), e.value());
        }
    }

    /** Adds an entry (or replaces its value); hands it to the first waiter if any. */
    public synchronized void add(String pool, String entry, Object value) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        Object v = JsonValues.copy("the entry's value", value);
        journal.putEntry(new Journal.StoredEntry(pool, entry, v));
        Pool p = pools.computeIfAbsent(pool, Pool::new);
        p.entries.put(entry, v);
        p.leaving.remove(entry);
        if (!p.held.containsKey(entry)) {
            handOver(p, entry);
        }
    }

    /**
     * Removes an entry. Returns false when the pool has no such entry. A held entry stays with its holder and leaves
     * when released.
     */
    public synchronized boolean remove(String pool, String entry) {
        CoordinationNames.check("pool", pool);
        CoordinationNames.check("pool entry", entry);
        Pool p = pools.get(pool);
        if (p == null || !p.entries.containsKey(entry) || p.leaving.contains(entry)) {
            return false;
        }
        journal.removeEntry(pool, entry);
        if (p.held.containsKey(entry)) {
            p.leaving.add(entry);
        } else {
            p.entries.remove(entry);
            forgetIfEmpty(p);
        }
        return true;
    }

    /**
     * Takes a free entry of {@code pool}, waiting up to {@code timeoutMs} behind waiters of higher or equal priority;
     * null when none came in time.
     *
     * @throws IllegalArgumentException for a pool with no entries
     */
    public PoolHold acquire(String pool, Owner owner, long timeoutMs, int priority) throws InterruptedException {
        CoordinationNames.check("pool", pool);
        CoordinationNames.checkTimeout("pool '" + pool + "'", timeoutMs);
        Waiter<PoolHold> waiter;
        Pool p;
        synchronized (this) {
            p = pools.get(pool);
            if (p == null) {
                throw new IllegalArgumentException("there is no pool '" + pool + "': add its entries first, e.g. "
                        + "`steward pool add " + pool + " ENTRY`");
            }
            // Free entries exist only while nobody waits (a freed entry goes to the first waiter at once).
            for (String entry : p.entries.keySet()) {
                if (!p.held.containsKey(entry) && !p.leaving.contains(entry)) {
                    return grant(p, entry, owner);
                }
            }
            if (timeoutMs == 0) {
                return null;
            }
            waiter = new Waiter<>(owner, priority, ++ids, clock.getAsLong());
            p.waiters.add(waiter);
        }
        Pool pp = p;
        return waiter.await(timeoutMs, this, () -> pp.waiters.remove(waiter), this::release);
    }

    private PoolHold grant(Pool p, String entry, Owner owner) {
        PoolHold hold = new PoolHold(p.name, entry, p.entries.get(entry), owner, clock.getAsLong());
        p.held.put(entry, hold);
        return hold;
    }

    /** Gives an entry back; it goes to the first waiter, or leaves the pool if it was removed meanwhile. */
    public synchronized void release(PoolHold hold) {
        Pool p = pools.get(hold.pool());
        if (p == null || p.held.get(hold.entry()) != hold) {
            return;
        }
        p.held.remove(hold.entry());
        if (p.leaving.remove(hold.entry())) {
            p.entries.remove(hold.entry());
            forgetIfEmpty(p);
        } else {
            handOver(p, hold.entry());
        }
    }

    private void handOver(Pool p, String entry) {
        while (!p.waiters.isEmpty()) {
            Waiter<PoolHold> next = p.waiters.poll();
            PoolHold hold = grant(p, entry, next.owner);
            if (next.hand(hold)) {
                return;
            }
            p.held.remove(entry);
        }
    }

    private void forgetIfEmpty(Pool p) {
        if (p.entries.isEmpty() && p.waiters.isEmpty()) {
            pools.remove(p.name);
        }
    }

    synchronized int releaseAll(String runId, RuntimeException why) {
        int released = 0;
        for (Pool p : List.copyOf(pools.values())) {
            p.waiters.removeIf(w -> {
                if (w.owner.isRun(runId)) {
                    w.refuse(why);
                    return true;
                }
                return false;
            });
            for (PoolHold hold : List.copyOf(p.held.values())) {
                if (hold.owner().isRun(runId)) {
                    release(hold);
                    released++;
                }
            }
        }
        return released;
    }

    /** A pool's entries (with holder, if held) and its waiters in serving order, or null for no such pool. */
    public synchronized Map<String, Object> view(String pool) {
        Pool p = pools.get(CoordinationNames.check("pool", pool));
        return p == null ? null : view(p);
    }

    /** Every pool. */
    public synchronized List<Map<String, Object>> view() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Pool p : pools.values()) {
            out.add(view(p));
        }
        return out;
    }

    private Map<String, Object> view(Pool p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : p.entries.entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("entry", e.getKey());
            entry.put("value", e.getValue());
            PoolHold hold = p.held.get(e.getKey());
            entry.put("holder", hold == null ? null : Coordination.who(hold.owner(), hold.since()));
            entry.put("leaving", p.leaving.contains(e.getKey()));
            entries.add(entry);
        }
        m.put("entries", entries);
        m.put("free", (long) entries.stream().filter(e -> e.get("holder") == null).count());
        List<Waiter<PoolHold>> order = new ArrayList<>(p.waiters);
        order.sort(ORDER);
        m.put("waiters", order.stream().map(w -> {
            Map<String, Object> who = Coordination.who(w.owner, w.since);
            who.put("priority", (long) w.priority);
            return who;
        }).toList());
        return m;
    }
}
