package io.steward.store;

import static io.steward.store.Snapshots.ended;
import static io.steward.store.Snapshots.queued;
import static io.steward.store.Snapshots.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invoke is answered only once its run's record is committed ({@code admit}); a run whose record the database
 * refuses is refused to its invoker at once, never reaches the store, not even with the end that follows, and costs
 * the other runs of its batch nothing.
 */
@Timeout(60)
class ARunIsAdmittedOnlyOnceDurableTest {
    private static final Duration LINGER = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @Test
    void admitReturnsOnceTheRunIsStoredWithoutWaitingOutTheLinger() throws Exception {
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).writerLinger(LINGER).build())) {
            EventWriter writer = store.writer();
            RunSnapshot run = queued("01RUN00000000000000000ADM1", "good.groovy", Instant.now());
            writer.accept(state(run.id(), 1, RunState.QUEUED));
            writer.runCreated(run);
            long t0 = System.nanoTime();
            writer.admit(run.id());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("admit waited out the linger").isLessThan(LINGER.dividedBy(2));
            assertThat(store.runs().get(run.id())).as("stored when admit returned").isPresent();
        }
    }

    @Test
    void aRunTheDatabaseRefusesIsRefusedToItsInvokerAndLeavesNoTrace() throws Exception {
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).writerLinger(LINGER).build())) {
            EventWriter writer = store.writer();
            RunSnapshot good = queued("01RUN00000000000000000ADM2", "good.groovy", Instant.now());
            writer.accept(state(good.id(), 1, RunState.QUEUED));
            writer.runCreated(good);
            // A script name over the column's 255 characters: the database refuses the batch holding it.
            RunSnapshot bad = queued("01RUN00000000000000000ADM3", "x".repeat(300) + ".groovy", Instant.now());
            writer.accept(state(bad.id(), 1, RunState.QUEUED));
            writer.runCreated(bad);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> writer.admit(bad.id())).isInstanceOf(StoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused without waiting out the linger or retries")
                    .isLessThan(LINGER.dividedBy(2));

            // What the coordinator does next: it ends the run, which never started.
            writer.accept(state(bad.id(), 2, RunState.CANCELLED));
            writer.runEnded(ended(bad, RunState.CANCELLED, Instant.now(), 2));
            writer.flush();

            assertThat(store.runs().get(good.id())).as("the other run of the batch").isPresent();
            assertThat(store.runs().get(bad.id())).as("the refused run").isEmpty();
            assertThat(store.events().page(bad.id(), 0, 10)).as("the refused run's events").isEmpty();
            assertThat(writer.dropped()).as("a withdrawn run's items are not counted as dropped").isZero();
            assertThat(writer.pending()).isZero();
        }
    }
}
