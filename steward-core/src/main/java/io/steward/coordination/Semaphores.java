package io.steward.coordination;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Mutexes (one permit) and counting semaphores, by name. Waiters are served in arrival order: a newcomer never takes
 * a permit while others wait for one, so nobody starves. A semaphore exists while someone holds or waits for it; its
 * permit count is the one its first user asked for, and a user asking for another count while it exists is told so.
 * A mutex is not re-entrant: asking again from the thread that holds it is an error, not a deadlock.
 */
public final class Semaphores {

    /** One permit held; give it back with {@link #release}. */
    public record Hold(String name, long id, Owner owner, long since) {
    }

    private final Map<String, Sem> sems = new TreeMap<>();
    private final LongSupplier clock;
    private long ids;

    Semaphores(LongSupplier clock) {
        this.clock = clock;
    }

    private static final class Sem {
        final String name;
        final int permits;
        final Map<Long, Hold> holders = new LinkedHashMap<>();
        final ArrayDeque<Waiter<Hold>> waiters = new ArrayDeque<>();

        Sem(String name, int permits) {
            this.name = name;
            this.permits = permits;
        }

        boolean idle() {
            return holders.isEmpty() && waiters.isEmpty();
        }
    }

    /**
     * Takes one of {@code permits} permits of semaphore {@code name}, waiting up to {@code timeoutMs} (0: only if one
     * is free now; {@link Waiter#FOREVER}: no limit). Returns null when none came in time.
     */
    public Hold acquire(String name, int permits, Owner owner, long timeoutMs) throws InterruptedException {
        String what = permits == 1 ? "lock" : "semaphore";
        CoordinationNames.check(what, name);
        CoordinationNames.checkTimeout(what + " '" + name + "'", timeoutMs);
        if (permits < 1) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be 1 or more, not " + permits);
        }
        Waiter<Hold> waiter;
        Sem sem;
        synchronized (this) {
            sem = sems.computeIfAbsent(name, n -> new Sem(n, permits));
            if (sem.permits != permits) {
                throw new IllegalArgumentException(what + " '" + name + "' is in use with " + sem.permits + " permit"
                        + (sem.permits == 1 ? "" : "s") + "; this call asks for " + permits
                        + ": use the same count everywhere");
            }
            if (permits == 1) {
                for (Hold h : sem.holders.values()) {
                    if (h.owner().equals(owner)) {
                        throw new IllegalStateException("lock '" + name + "' is already held by this thread: locks are "
                                + "not re-entrant (take it once, around all the work)");
                    }
                }
            }
            if (sem.holders.size() < sem.permits && sem.waiters.isEmpty()) {
                return grant(sem, owner);
            }
            if (timeoutMs == 0) {
                return null;
            }
            waiter = new Waiter<>(owner, 0, ++ids, clock.getAsLong());
            sem.waiters.add(waiter);
        }
        Sem s = sem;
        return waiter.await(timeoutMs, this, () -> {
            s.waiters.remove(waiter);
            forgetIfIdle(s);
        }, this::release);
    }

    private Hold grant(Sem sem, Owner owner) {
        Hold hold = new Hold(sem.name, ++ids, owner, clock.getAsLong());
        sem.holders.put(hold.id(), hold);
        return hold;
    }

    /** Gives a permit back and hands it to the longest waiter; a hold already given back is ignored. */
    public synchronized void release(Hold hold) {
        Sem sem = sems.get(hold.name());
        if (sem == null || sem.holders.remove(hold.id()) == null) {
            return;
        }
        handOver(sem);
        forgetIfIdle(sem);
    }

    private void handOver(Sem sem) {
        while (sem.holders.size() < sem.permits && !sem.waiters.isEmpty()) {
            Waiter<Hold> next = sem.waiters.poll();
            Hold hold = grant(sem, next.owner);
            if (!next.hand(hold)) {
                sem.holders.remove(hold.id());
            }
        }
    }

    private void forgetIfIdle(Sem sem) {
        if (sem.idle()) {
            sems.remove(sem.name);
        }
    }

    /** Releases every permit a run holds and ends its waits: the run has ended. Returns how many holds it had. */
    synchronized int releaseAll(String runId, RuntimeException why) {
        int released = 0;
        for (Sem sem : List.copyOf(sems.values())) {
            for (Iterator<Hold> it = sem.holders.values().iterator(); it.hasNext(); ) {
                if (it.next().owner().isRun(runId)) {
                    it.remove();
                    released++;
                }
            }
            for (Iterator<Waiter<Hold>> it = sem.waiters.iterator(); it.hasNext(); ) {
                Waiter<Hold> w = it.next();
                if (w.owner.isRun(runId)) {
                    it.remove();
                    w.refuse(why);
                }
            }
            handOver(sem);
            forgetIfIdle(sem);
        }
        return released;
    }

    /** Every semaphore in use: name, permits, holders and waiters in order (for the API and the console). */
    public synchronized List<Map<String, Object>> view() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Sem sem : sems.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", sem.name);
            m.put("kind", sem.permits == 1 ? "mutex" : "semaphore");
            m.put("permits", (long) sem.permits);
            m.put("holders", sem.holders.values().stream().map(h -> Coordination.who(h.owner(), h.since())).toList());
            m.put("waiters", sem.waiters.stream().map(w -> Coordination.who(w.owner, w.since)).toList());
            out.add(m);
        }
        return out;
    }
}
