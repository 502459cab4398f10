package io.steward.gateway;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one client of the change stream has not been sent yet: the ids of runs and names of nodes that changed, each
 * once however often it changed, since the client is sent their state as it is when sent. So a client that reads
 * slowly costs at most {@link #MAX} names, never a queue of every change: past that it is told to re-read
 * everything instead ({@link Batch#overflow}).
 */
final class PendingChanges {
    /** Each pending run is looked up when sent: past a few hundred, one re-read of the lists costs the client less. */
    static final int MAX = 256;

    /** Changes taken in one go; {@code overflow} means some were not kept and the client must re-read all. */
    record Batch(Set<String> runs, Set<String> nodes, boolean overflow) {
        boolean isEmpty() {
            return runs.isEmpty() && nodes.isEmpty() && !overflow;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Set<String> runs = new LinkedHashSet<>();
    private Set<String> nodes = new LinkedHashSet<>();
    private boolean overflow;
    private boolean closed;

    void runs(Collection<String> ids) {
        mark(ids, runs);
    }

    void node(String name) {
        mark(Set.of(name), nodes);
    }

    private void mark(Collection<String> names, Set<String> into) {
        lock.lock();
        try {
            if (!overflow) {
                into.addAll(names);
                if (runs.size() + nodes.size() > MAX) {
                    runs.clear();
                    nodes.clear();
                    overflow = true;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Changes were missed (another primary's, while their notices were not heard): the client must re-read all. */
    void missed() {
        lock.lock();
        try {
            runs.clear();
            nodes.clear();
            overflow = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The client has gone or the server stops: {@link #take} answers {@code null} from now on. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for changes and takes them all; an empty batch when there were none in time,
     * {@code null} once closed.
     */
    Batch take(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!closed && runs.isEmpty() && nodes.isEmpty() && !overflow && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (closed) {
                return null;
            }
            Batch batch = new Batch(runs, nodes, overflow);
            runs = new LinkedHashSet<>();
            nodes = new LinkedHashSet<>();
            overflow = false;
            return batch;
        } finally {
            lock.unlock();
        }
    }
}
