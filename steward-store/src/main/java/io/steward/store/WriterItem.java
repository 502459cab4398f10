package io.steward.store;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;

import java.util.concurrent.CompletableFuture;

/** What the event writer's queue carries, in the order it was accepted. */
sealed interface WriterItem {

    /** The run an item belongs to, or null for audit entries and markers. */
    static String runIdOf(WriterItem item) {
        return switch (item) {
            case Created c -> c.run().id();
            case Event e -> e.event().runId();
            case Ended e -> e.run().id();
            default -> null;
        };
    }

    record Event(RunEvent event) implements WriterItem {
    }

    record Created(RunSnapshot run) implements WriterItem {
    }

    record Ended(RunSnapshot run) implements WriterItem {
    }

    record Audit(AuditRow row) implements WriterItem {
    }

    /**
     * Completed once everything queued before it is committed: how {@code flush()} waits. An {@code answer} barrier
     * (an invoke answered at its run's end) is completed as soon as its batch is in the {@link WriteAheadLog}, before
     * H2's commit, where the store has one. {@code releases}, if not null, is a run whose items the writer stops
     * holding once it takes this barrier (see {@link EventWriter#awaitRecorded}).
     */
    record Barrier(CompletableFuture<Void> done, boolean answer, String releases) implements WriterItem {
    }

    /**
     * Completed once the run's record (its {@link Created}, queued before) is committed; failed, and the run
     * withdrawn from the store, if the first attempt to commit it fails: how an invoke waits to be durable.
     */
    record Admission(String runId, CompletableFuture<Void> done) implements WriterItem {
    }

    /** Queued by {@code close()} after the last accepted item: the writer stops once it is done. */
    record Stop() implements WriterItem {
    }
}
