package io.steward.store;

import static io.steward.store.Snapshots.event;
import static io.steward.store.Snapshots.queued;
import static io.steward.store.Snapshots.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invoke with {@code ?wait=} is answered only once its run's end is committed, so the writer holds that run's
 * records until the invoker's flush and commits the run once, however its events were spread out; a run that goes on
 * longer than the hold still has its events committed as it goes.
 */
@Timeout(60)
class ARunAnsweredAtItsEndIsCommittedOnceTest {
    @TempDir
    Path dataDir;

    @Test
    void aShortRunWhoseInvokerWaitsIsOneCommit() throws Exception {
        // A hold far longer than the test, so that a slow machine cannot end it before the run's end arrives.
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).writerHold(Duration.ofMinutes(1)).build())) {
            EventWriter writer = store.writer();
            RunSnapshot run = queued("01RUN0000000000000000000H1", "short.groovy", Instant.now());
            writer.flush(); // whatever opening the store queued
            long before = writer.batches();
            writer.holdUntilEnd(run.id());
            writer.runCreated(run);
            writer.accept(state(run.id(), 1, RunState.QUEUED));
            // Time for the writer to wake and commit what it has, as it would without the hold.
            await().pollInterval(Duration.ofMillis(1)).during(Duration.ofMillis(5)).atMost(Duration.ofSeconds(1)).until(() -> writer.batches() == before);
            writer.accept(state(run.id(), 2, RunState.RUNNING));
            writer.accept(event(run.id(), 3, "log", Map.of("message", "hi")));
            await().pollInterval(Duration.ofMillis(1)).during(Duration.ofMillis(5)).atMost(Duration.ofSeconds(1)).until(() -> writer.batches() == before);
            writer.accept(state(run.id(), 4, RunState.SUCCEEDED));
            writer.runEnded(Snapshots.ended(run, RunState.SUCCEEDED, Instant.now(), 4));

            writer.awaitRecorded(run.id());
            // Answered from the write-ahead log; the read waits for H2's commit, which must be the run's only one.
            assertThat(store.runs().get(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(writer.batches() - before).as("commits for the whole run").isEqualTo(1);
            assertThat(store.runs().get(run.id()).orElseThrow().lastSeq()).isEqualTo(4);
        }
    }

    @Test
    void aHeldRunThatGoesOnIsStillCommittedAsItGoes() throws Exception {
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).build())) {
            EventWriter writer = store.writer();
            RunSnapshot run = queued("01RUN0000000000000000000H2", "long.groovy", Instant.now());
            writer.holdUntilEnd(run.id());
            writer.runCreated(run);
            writer.accept(state(run.id(), 1, RunState.QUEUED));
            writer.accept(state(run.id(), 2, RunState.RUNNING));
            // Nobody flushes: the hold runs out and the run's events become durable, for its followers.
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.durableSeq(run.id()) == 2);
            writer.accept(event(run.id(), 3, "log", Map.of("message", "later")));
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.durableSeq(run.id()) == 3);
        }
    }
}
