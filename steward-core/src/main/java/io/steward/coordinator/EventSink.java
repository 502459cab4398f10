package io.steward.coordinator;

/**
 * Receives every event of every run, in each run's sequence order, with none dropped, and a run's record when it
 * is created and when it ends: where the store writes runs and their timelines. A run's calls arrive in order —
 * {@link #runCreated} before its first event is handed on, {@link #runEnded} after its last — from script threads,
 * under the run's event lock, so an implementation must hand them off quickly and never block on I/O.
 */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = event -> { };

    void accept(RunEvent event);

    /** A new run, as first seen (QUEUED); its QUEUED event has already been passed to {@link #accept}. */
    default void runCreated(RunSnapshot run) {
    }

    /**
     * Waits until the record of run {@code runId}, told to {@link #runCreated} just before, is durable: the
     * coordinator calls it before it starts the run or answers for it, so that a run a client was told about
     * survives a crash. Unlike the other calls it may block, and it is made outside the run's event lock.
     *
     * @throws RuntimeException when the record cannot be made durable (the run is then ended without starting, and
     *                          the exception handed to the invoker)
     */
    default void admit(String runId) throws InterruptedException {
    }

    /**
     * Called before run {@code runId} is created when its invoker will be answered only once the run has ended and
     * its end is durable (an invoke with {@code ?wait=}): nobody learns of the run before then, so the sink may
     * gather its records and commit them together. A hint; ignoring it is correct.
     */
    default void holdUntilEnd(String runId) {
    }

    /** A run's final snapshot, after its final {@code state} event. */
    default void runEnded(RunSnapshot run) {
    }
}
