package io.steward.coordinator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A follower of one run's events with a bounded queue. The run never waits for it: when the queue is full,
 * events are dropped and the follower later receives one {@code gap} event naming the sequence numbers it
 * missed ({@code from}, {@code to}), followed by the events after them. A follower that must miss nothing reads
 * the gap's range back from the store.
 */
public final class Subscription implements AutoCloseable {
    private final String runId;
    private final int capacity;
    private final Runnable onClose;
    private final ArrayDeque<RunEvent> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long gapFrom = -1;
    private long gapTo = -1;
    private boolean ended;
    private boolean closed;

    Subscription(String runId, int capacity, Runnable onClose) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a subscription needs room for at least 2 events");
        }
        this.runId = runId;
        this.capacity = capacity;
        this.onClose = onClose;
    }

    public String runId() {
        return runId;
    }

    void offer(RunEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (gapFrom >= 0 && queue.size() < capacity - 1) {
                queue.add(gapEvent());
            }
            if (gapFrom < 0 && queue.size() < capacity) {
                queue.add(event);
            } else {
                if (gapFrom < 0) {
                    gapFrom = event.seq();
                }
                gapTo = event.seq();
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Marks events {@code from..to} as missed (they left the in-memory history before this follower came). */
    void missed(long from, long to) {
        lock.lock();
        try {
            gapFrom = gapFrom < 0 ? from : Math.min(gapFrom, from);
            gapTo = Math.max(gapTo, to);
            if (queue.isEmpty()) {
                queue.add(gapEvent());
            }
        } finally {
            lock.unlock();
        }
    }

    private RunEvent gapEvent() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", gapFrom);
        data.put("to", gapTo);
        data.put("missed", gapTo - gapFrom + 1);
        RunEvent gap = new RunEvent(runId, gapTo, "gap", System.currentTimeMillis(), data);
        gapFrom = -1;
        gapTo = -1;
        return gap;
    }

    /** The run has ended: its last event is queued (or noted as missed). */
    void end() {
        lock.lock();
        try {
            if (gapFrom >= 0) {
                queue.add(gapEvent());
            }
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next event, or {@code null} after {@code timeout} or once the run has ended and all was read. */
    public RunEvent next(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (ended || closed || nanos <= 0) {
                    return null;
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} queued events into {@code into} without waiting; returns how many. */
    public int drainTo(List<RunEvent> into, int max) {
        lock.lock();
        try {
            int n = 0;
            while (n < max && !queue.isEmpty()) {
                into.add(queue.poll());
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the run has ended and every queued event has been read. */
    public boolean finished() {
        lock.lock();
        try {
            return (ended || closed) && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        onClose.run();
    }
}
