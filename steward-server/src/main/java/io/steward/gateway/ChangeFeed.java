package io.steward.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands the runs and nodes that changed to every client of the change stream. Fed by the store after its writes
 * (a run's change once durable, a node's once written), on the writer's thread, and with other primaries' runs by
 * the store tail's thread: so it only marks each client's {@link PendingChanges} and never does I/O; each client's
 * own stream thread sends.
 */
final class ChangeFeed implements AutoCloseable {
    private final Set<PendingChanges> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    void runsChanged(Set<String> ids) {
        clients.forEach(c -> c.runs(ids));
    }

    /** Some changes went unheard (see {@link io.steward.store.RunTail.Listener#missed}): every client re-reads. */
    void missed() {
        clients.forEach(PendingChanges::missed);
    }

    void nodeChanged(String name) {
        clients.forEach(c -> c.node(name));
    }

    /** What the store tail tells of the runs other primaries on the same database write (issue 15). */
    io.steward.store.RunTail.Listener otherPrimaries() {
        return new io.steward.store.RunTail.Listener() {
            @Override
            public void runsChanged(Set<String> runIds) {
                ChangeFeed.this.runsChanged(runIds);
            }

            @Override
            public void missed() {
                ChangeFeed.this.missed();
            }
        };
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
