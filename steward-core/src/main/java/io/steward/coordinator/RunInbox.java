package io.steward.coordinator;

import io.steward.engine.Inbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** The inbox of one run: a queue until a listener ({@code onMessage}) is registered, then the listeners. */
final class RunInbox implements Inbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<Object> waiting = new ArrayDeque<>();
    private final List<Consumer<Object>> listeners = new ArrayList<>();

    void deliver(Object message) {
        lock.lock();
        try {
            if (listeners.isEmpty()) {
                waiting.addLast(message == null ? NULL : message);
                arrived.signal();
            } else {
                for (Consumer<Object> listener : listeners) {
                    listener.accept(message);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object take(long timeoutMs) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
        lock.lockInterruptibly();
        try {
            while (waiting.isEmpty()) {
                if (remaining <= 0) {
                    return null;
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return unwrap(waiting.removeFirst());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object poll() {
        lock.lock();
        try {
            return waiting.isEmpty() ? null : unwrap(waiting.removeFirst());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void listen(Consumer<Object> listener) {
        lock.lock();
        try {
            listeners.add(listener);
            while (!waiting.isEmpty()) {
                listener.accept(unwrap(waiting.removeFirst()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** A JSON null is a message too; the queue holds it as this. */
    private static final Object NULL = new Object();

    private static Object unwrap(Object queued) {
        return queued == NULL ? null : queued;
    }
}
