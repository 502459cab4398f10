package io.steward.nodes;

import io.steward.store.ChildDispatch;
import io.steward.store.Store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Takes the children that other primaries' fan-outs hand to this one for its agents (see
 * {@link ChildrenOnOtherPrimaries}) and starts each as {@link PrimaryFleet} starts its own; passes on the cancels
 * asked for children it holds. Woken by the dispatch notices its {@code RunTail} hears, and looks anyway every
 * {@value #POLL_LISTENING_MS} ms ({@value #POLL_MS} ms while not listening), so a missed notice costs at most that:
 * two small indexed queries per look, and none while no other primary listens on the database.
 */
public final class ChildrenFromOtherPrimaries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChildrenFromOtherPrimaries.class.getName());
    static final long POLL_LISTENING_MS = 5_000;
    static final long POLL_MS = 1_000;
    /** Children taken in one statement: a fan-out of thousands is taken in a few, its rows locked briefly each. */
    static final int BATCH = 500;

    private final Store store;
    private final PrimaryFleet fleet;
    private final RemoteRuns remote;
    private final String self;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    public ChildrenFromOtherPrimaries(Store store, PrimaryFleet fleet, RemoteRuns remote) {
        this.store = store;
        this.fleet = fleet;
        this.remote = remote;
        this.self = store.config().primaryId();
        this.thread = Thread.ofPlatform().daemon().name("steward-children-from-elsewhere").unstarted(this::loop);
    }

    /** Starts listening and taking (call once the fleet can start runs). */
    public ChildrenFromOtherPrimaries start() {
        store.tail().listenDispatch(to -> {
            if (to.equals(self) || to.equals("*")) {
                wake.release();
            }
        });
        thread.start();
        return this;
    }

    private void loop() {
        while (!closed) {
            try {
                boolean told = wake.tryAcquire(store.tail().listening() ? POLL_LISTENING_MS : POLL_MS,
                        TimeUnit.MILLISECONDS);
                wake.drainPermits();
                // Alone on its database (no other primary's tail listens), nobody can have handed it anything: the
                // look costs nothing then. A newcomer's offer comes with a notice, which is always looked at.
                if (told || store.tail().othersListening()) {
                    round();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "taking children from other primaries: {0}; trying again",
                        e.getMessage());
            }
        }
    }

    /** Takes and starts what is offered to this primary, then passes on the cancels asked. */
    void round() throws InterruptedException {
        List<ChildDispatch> taken;
        PrimaryFleet.HandedScripts scripts = fleet.new HandedScripts();
        do {
            taken = store.dispatch().take(self, BATCH);
            java.util.Set<String> sealed = store.secrets().withSecrets(taken.stream().map(ChildDispatch::id).toList());
            for (ChildDispatch child : taken) {
                try {
                    fleet.startHanded(child, scripts, sealed.contains(child.id()));
                } catch (RuntimeException e) {
                    // Taken, so no one else will start it: it must end here, or its parent would wait for ever.
                    fleet.failHanded(child, e.getMessage());
                }
            }
        } while (taken.size() == BATCH);
        for (Map.Entry<String, String> asked : store.dispatch().cancelsAsked().entrySet()) {
            try {
                if (remote.cancel(asked.getKey(), asked.getValue())) {
                    store.dispatch().cancelPassedOn(asked.getKey());
                }
            } catch (NodeOfflineException e) {
                // the agent is away: asked again at the next look, as its cancel stays in the row
                LOG.log(System.Logger.Level.DEBUG, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
