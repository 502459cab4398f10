package io.steward.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands the runs and nodes that changed to every client of the change stream. Fed by the store after its writes
 * (a run's change once durable, a node's once written), on the writer's thread: so it only marks each client's
 * {@link PendingChanges} and never does I/O; each client's own stream thread sends.
 */
final class ChangeFeed implements AutoCloseable {
    private final Set<PendingChanges> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    void runsChanged(Set<String> ids) {
        clients.forEach(c -> c.runs(ids));
    }

    void nodeChanged(String name) {
        clients.forEach(c -> c.node(name));
    }

    PendingChanges subscribe() {
        PendingChanges pending = new PendingChanges();
        clients.add(pending);
        if (closed) {
            pending.close();
        }
        return pending;
    }

    void unsubscribe(PendingChanges pending) {
        clients.remove(pending);
        pending.close();
    }

    /** Ends every client's stream, so that stopping the server does not wait for their heartbeats. */
    @Override
    public void close() {
        closed = true;
        clients.forEach(PendingChanges::close);
    }
}
