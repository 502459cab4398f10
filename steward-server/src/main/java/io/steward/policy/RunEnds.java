package io.steward.policy;

import io.steward.coordinator.EventSink;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The store's event sink with ears: passes everything on to it unchanged and then tells listeners the final
 * snapshot of every run that ends on this node. Listeners are called where {@link EventSink#runEnded} is, on the
 * run's thread under its event lock, after the store has the end queued and before anyone waiting for the run is
 * told: they must be quick, and hand anything slow to a thread of their own.
 */
public final class RunEnds implements EventSink {
    private final EventSink store;
    private final List<Consumer<RunSnapshot>> listeners = new CopyOnWriteArrayList<>();

    public RunEnds(EventSink store) {
        this.store = store;
    }

    void listen(Consumer<RunSnapshot> listener) {
        listeners.add(listener);
    }

    @Override
    public void accept(RunEvent event) {
        store.accept(event);
    }

    @Override
    public void runCreated(RunSnapshot run) {
        store.runCreated(run);
    }

    @Override
    public void admit(String runId) throws InterruptedException {
        store.admit(runId);
    }

    @Override
    public void holdUntilEnd(String runId) {
        store.holdUntilEnd(runId);
    }

    @Override
    public void runEnded(RunSnapshot run) {
        store.runEnded(run);
        for (Consumer<RunSnapshot> listener : listeners) {
            try {
                listener.accept(run);
            } catch (RuntimeException e) {
                // A policy's failure must not take the run's end (and its waiters) with it.
                System.getLogger(RunEnds.class.getName()).log(System.Logger.Level.ERROR,
                        "a run-end listener failed for run " + run.id(), e);
            }
        }
    }
}
