package io.steward.coordination;

import io.steward.engine.JsonValues;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Named queues of messages (JSON values) between runs and clients. A put is stored before it returns; a take removes
 * the message from the store before the taker gets it, so a message is never delivered twice, also across a restart
 * of the primary. Takers waiting on an empty queue are served in arrival order, each by the put that finds it waiting.
 */
public final class Queues {
    private final Journal journal;
    private final LongSupplier clock;
    private final Map<String, ArrayDeque<Journal.StoredMessage>> queues = new TreeMap<>();
    private final Map<String, ArrayDeque<Waiter<Journal.StoredMessage>>> waiters = new TreeMap<>();
    private long ids;

    Queues(Journal journal, LongSupplier clock) {
        this.journal = journal;
        this.clock = clock;
        for (Journal.StoredMessage m : journal.messages()) {
            queues.computeIfAbsent(m.queue(), q -> new ArrayDeque<>()).add(m);
        }
    }

    /** Stores a message at the end of {@code queue} (or hands it to the longest waiting taker); returns its id. */
    public synchronized long put(String queue, Object message) {
        CoordinationNames.check("queue", queue);
        Object value = JsonValues.copy("the message", message);
        long id = journal.putMessage(queue, value);
        Journal.StoredMessage stored = new Journal.StoredMessage(queue, id, value);
        // A waiter still in the list has neither timed out nor been refused (both leave it under this monitor), so
        // the hand-over cannot fail.
        ArrayDeque<Waiter<Journal.StoredMessage>> waiting = waiters.get(queue);
        if (waiting != null) {
            Waiter<Journal.StoredMessage> next = waiting.poll();
            if (waiting.isEmpty()) {
                waiters.remove(queue);
            }
            journal.takeMessage(queue, id);
            next.hand(stored);
            return id;
        }
        queues.computeIfAbsent(queue, q -> new ArrayDeque<>()).add(stored);
        return id;
    }

    /** The next message of {@code queue}, waiting up to {@code timeoutMs}; null when none came in time. */
    public Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("queue", queue);
        CoordinationNames.checkTimeout("queue '" + queue + "'", timeoutMs);
        Waiter<Journal.StoredMessage> waiter;
        synchronized (this) {
            ArrayDeque<Journal.StoredMessage> q = queues.get(queue);
            if (q != null && !q.isEmpty()) {
                Journal.StoredMessage head = q.peek();
                journal.takeMessage(queue, head.id());
                q.poll();
                if (q.isEmpty()) {
                    queues.remove(queue);
                }
                return head;
            }
            if (timeoutMs == 0) {
                return null;
            }
            waiter = new Waiter<>(owner, 0, ++ids, clock.getAsLong());
            waiters.computeIfAbsent(queue, n -> new ArrayDeque<>()).add(waiter);
        }
        // A taker interrupted just after a message reached it puts the message back (at the end): not lost.
        return waiter.await(timeoutMs, this, () -> {
            ArrayDeque<Waiter<Journal.StoredMessage>> w = waiters.get(queue);
            if (w != null) {
                w.remove(waiter);
                if (w.isEmpty()) {
                    waiters.remove(queue);
                }
            }
        }, m -> put(queue, m.value()));
    }

    public synchronized int depth(String queue) {
        ArrayDeque<Journal.StoredMessage> q = queues.get(CoordinationNames.check("queue", queue));
        return q == null ? 0 : q.size();
    }

    synchronized void releaseAll(String runId, RuntimeException why) {
        for (Iterator<ArrayDeque<Waiter<Journal.StoredMessage>>> it = waiters.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Waiter<Journal.StoredMessage>> list = it.next();
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

    /** Every queue with messages or takers: name, depth, takers waiting. */
    public synchronized List<Map<String, Object>> view() {
        TreeSet<String> names = new TreeSet<>(queues.keySet());
        names.addAll(waiters.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("depth", (long) queues.getOrDefault(name, new ArrayDeque<>()).size());
            m.put("waiters", waiters.getOrDefault(name, new ArrayDeque<>()).stream()
                    .map(w -> Coordination.who(w.owner, w.since)).toList());
            out.add(m);
        }
        return out;
    }
}
