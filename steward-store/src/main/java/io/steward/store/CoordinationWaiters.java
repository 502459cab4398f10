package io.steward.store;

import io.steward.coordination.Owner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The script threads of this primary waiting for something of {@link SharedCoordination} (a permit, a message, a pool
 * entry, a post), in lines by what they wait for ({@code lock:NAME}, {@code queue:NAME}, …). The state itself is in the
 * database; a line only orders this primary's waiters (by priority, then arrival) and wakes them when a notice says
 * what they wait for may have changed. A waiter that is not first in its line does not try, so this primary serves
 * its own waiters in order; across primaries whoever tries first after a change wins.
 */
final class CoordinationWaiters {
    private static final Comparator<Waiting> ORDER =
            Comparator.<Waiting>comparingInt(w -> -w.priority).thenComparingLong(w -> w.seq);

    private final Map<String, Line> lines = new HashMap<>();
    /** How long a waiter waits for a notice before it looks again anyway (notices can be missed). */
    private final LongSupplier pollMs;
    private long seqs;

    CoordinationWaiters(LongSupplier pollMs) {
        this.pollMs = pollMs;
    }

    @FunctionalInterface
    interface Attempt<T> {
        /** One try; with {@code take} false only the checks (a count in use, a pool that exists), answering null. */
        T run(boolean take);
    }

    /**
     * Tries, and while it got nothing waits in {@code key}'s line until a change is noticed (or the poll comes round)
     * for up to {@code timeoutMs}. In a line ({@code inLine}) only the first waiter tries, and a newcomer does not try
     * past those already waiting. What came to a waiter whose run ended meanwhile goes back through {@code undo}.
     */
    <T> T waitFor(String key, Owner owner, int priority, long timeoutMs, boolean inLine, Attempt<T> attempt,
                  Consumer<T> undo) throws InterruptedException {
        if (!inLine || !anyWaiting(key)) {
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
        Waiting w = join(key, owner, priority);
        try {
            while (true) {
                long seen = changes(key); // before the try: a change during it is not missed
                if (!inLine || first(w)) {
                    T got = attempt.run(true);
                    if (got != null) {
                        if (w.refused != null) {
                            undo.accept(got);
                            throw w.refused;
                        }
                        return got;
                    }
                }
                long poll = pollMs.getAsLong();
                long left = forever ? poll : (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                await(w, seen, Math.min(left, poll));
            }
        } finally {
            leave(w);
        }
    }

    /** One waiting thread. */
    static final class Waiting {
        final String key;
        final Owner owner;
        final int priority;
        final long seq;
        final long since;
        /** Set when the waiter's run ended: the wait ends with it. */
        volatile RuntimeException refused;

        Waiting(String key, Owner owner, int priority, long seq, long since) {
            this.key = key;
            this.owner = owner;
            this.priority = priority;
            this.seq = seq;
            this.since = since;
        }
    }

    private static final class Line {
        final List<Waiting> waiting = new ArrayList<>();
        /** Grows with every change noticed: a waiter that saw n and finds more looks again. */
        long changes;
    }

    synchronized Waiting join(String key, Owner owner, int priority) {
        Waiting w = new Waiting(key, owner, priority, ++seqs, System.currentTimeMillis());
        Line line = lines.computeIfAbsent(key, k -> new Line());
        line.waiting.add(w);
        line.waiting.sort(ORDER);
        return w;
    }

    /** Leaves the line; the next one in it looks at once (what this one did not take may be free). */
    synchronized void leave(Waiting w) {
        Line line = lines.get(w.key);
        if (line != null) {
            line.waiting.remove(w);
            line.changes++;
            if (line.waiting.isEmpty()) {
                lines.remove(w.key);
            }
            notifyAll();
        }
    }

    synchronized boolean anyWaiting(String key) {
        return lines.containsKey(key);
    }

    synchronized boolean first(Waiting w) {
        Line line = lines.get(w.key);
        return line != null && !line.waiting.isEmpty() && line.waiting.getFirst() == w;
    }

    synchronized long changes(String key) {
        Line line = lines.get(key);
        return line == null ? 0 : line.changes;
    }

    /**
     * Waits until {@code w}'s line changed since {@code seen}, or {@code maxMs} passed.
     *
     * @throws RuntimeException the refusal, when the waiter's run ended
     */
    synchronized void await(Waiting w, long seen, long maxMs) throws InterruptedException {
        long until = System.nanoTime() + maxMs * 1_000_000;
        while (w.refused == null) {
            Line line = lines.get(w.key);
            if (line == null || line.changes != seen) {
                return;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        throw w.refused;
    }

    /** Something {@code key}'s waiters wait for may have changed. */
    synchronized void changed(String key) {
        Line line = lines.get(key);
        if (line != null) {
            line.changes++;
            notifyAll();
        }
    }

    /** Notices may have been missed: everyone looks again. */
    synchronized void changedAll() {
        lines.values().forEach(l -> l.changes++);
        notifyAll();
    }

    /** Ends the waits of run {@code runId}'s threads with {@code why}. */
    synchronized void refuse(String runId, RuntimeException why) {
        for (Line line : lines.values()) {
            for (Waiting w : line.waiting) {
                if (w.owner.isRun(runId)) {
                    w.refused = why;
                }
            }
        }
        notifyAll();
    }

    /** Who waits in a line, in serving order. */
    synchronized List<Waiting> waiting(String key) {
        Line line = lines.get(key);
        return line == null ? List.of() : List.copyOf(line.waiting);
    }

    /** The names of the lines of one kind ({@code lock}, {@code queue}, …) that have waiters. */
    synchronized List<String> names(String kind) {
        List<String> out = new ArrayList<>();
        for (String key : lines.keySet()) {
            if (key.startsWith(kind + ":")) {
                out.add(key.substring(kind.length() + 1));
            }
        }
        return out;
    }
}
