package io.steward.coordinator;

/**
 * Receives every event of every run, in each run's sequence order, with none dropped: where the store writes
 * the timeline. Called under the run's event lock from script threads, so it must hand the event off quickly
 * and never block on I/O.
 */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = event -> { };

    void accept(RunEvent event);
}
