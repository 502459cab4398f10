package io.steward.coordination;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Event semaphores, as in STAF: an event is posted or reset; {@code wait} returns at once while it is posted, and
 * otherwise waits for the next post. A post wakes every waiter and stays posted (durably) until someone resets it;
 * a pulse wakes the waiters of the moment and leaves the event reset.
 */
public final class EventSemaphores {
    private final Journal journal;
    private final LongSupplier clock;
    private final Set<String> posted;
    private final Map<String, List<Waiter<Boolean>>> waiters = new TreeMap<>();
    private long ids;

    EventSemaphores(Journal journal, LongSupplier clock) {
        this.journal = journal;
        this.clock = clock;
        this.posted = new TreeSet<>(journal.postedEvents());
    }

    public synchronized void post(String name) {
        CoordinationNames.check("event", name);
        if (!posted.contains(name)) {
            journal.eventState(name, true);
            posted.add(name);
        }
        wakeAll(name);
    }

    public synchronized void reset(String name) {
        CoordinationNames.check("event", name);
        if (posted.contains(name)) {
            journal.eventState(name, false);
            posted.remove(name);
        }
    }

    /** Wakes whoever waits now, without posting. Returns how many were woken. */
    public synchronized int pulse(String name) {
        CoordinationNames.check("event", name);
        return wakeAll(name);
    }

    public synchronized boolean isPosted(String name) {
        return posted.contains(CoordinationNames.check("event", name));
    }

    /** True when the event is or becomes posted within {@code timeoutMs}; false when the time ran out. */
    public boolean await(String name, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("event", name);
        CoordinationNames.checkTimeout("event '" + name + "'", timeoutMs);
        Waiter<Boolean> waiter;
        synchronized (this) {
            if (posted.contains(name)) {
                return true;
            }
            if (timeoutMs == 0) {
                return false;
            }
            waiter = new Waiter<>(owner, 0, ++ids, clock.getAsLong());
            waiters.computeIfAbsent(name, n -> new ArrayList<>()).add(waiter);
        }
        Boolean woken = waiter.await(timeoutMs, this, () -> withdraw(name, waiter), b -> { });
        return woken != null;
    }

    private void withdraw(String name, Waiter<Boolean> waiter) {
        List<Waiter<Boolean>> list = waiters.get(name);
        if (list != null) {
            list.remove(waiter);
            if (list.isEmpty()) {
                waiters.remove(name);
            }
        }
    }

    private int wakeAll(String name) {
        List<Waiter<Boolean>> list = waiters.remove(name);
        int woken = 0;
        if (list != null) {
            for (Waiter<Boolean> w : list) {
                woken += w.hand(Boolean.TRUE) ? 1 : 0;
            }
        }
        return woken;
    }

    synchronized void releaseAll(String runId, RuntimeException why) {
        for (Iterator<Map.Entry<String, List<Waiter<Boolean>>>> it = waiters.entrySet().iterator(); it.hasNext(); ) {
            List<Waiter<Boolean>> list = it.next().getValue();
            list.removeIf(w -> {
                if (w.owner.isRun(runId)) {
                    w.refuse(why);
                    return true;
                }
                return false;
            });
            if (list.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Every event that is posted or waited for. */
    public synchronized List<Map<String, Object>> view() {
        Set<String> names = new TreeSet<>(posted);
        names.addAll(waiters.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("posted", posted.contains(name));
            m.put("waiters", waiters.getOrDefault(name, List.of()).stream()
                    .map(w -> Coordination.who(w.owner, w.since)).toList());
            out.add(m);
        }
        return out;
    }
}
