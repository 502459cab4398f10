package io.steward.store;

import static io.steward.store.Snapshots.event;
import static io.steward.store.Snapshots.queued;
import static io.steward.store.Snapshots.state;
import static org.assertj.core.api.Assertions.assertThat;

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
 * With a writer linger, the events that arrive while the writer waits join the commit of the first; someone who
 * flushes is not made to wait out the linger, and neither is close.
 */
@Timeout(60)
class WriterLingerGathersABurstIntoOneCommitTest {
    @TempDir
    Path dataDir;

    @Test
    void aBurstIsOneCommitAndAFlushCutsTheLingerShort() throws Exception {
        Duration linger = Duration.ofSeconds(20);
        long closing;
        try (Store store = Store.open(StoreConfig.builder().dataDir(dataDir).writerLinger(linger).build())) {
            EventWriter writer = store.writer();
            RunSnapshot run = queued("01RUN0000000000000000000L1", "burst.groovy", Instant.now());
            long before = writer.batches();
            writer.runCreated(run);
            writer.accept(state(run.id(), 1, RunState.QUEUED));
            writer.accept(state(run.id(), 2, RunState.RUNNING));
            writer.accept(event(run.id(), 3, "log", Map.of("message", "hi")));

            long t0 = System.nanoTime();
            writer.flush();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the flush did not wait out the linger").isLessThan(linger.dividedBy(2));
            assertThat(writer.batches() - before).as("commits for the burst and its flush").isEqualTo(1);
            assertThat(writer.durableSeq(run.id())).isEqualTo(3);
            assertThat(store.runs().get(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);

            writer.accept(event(run.id(), 4, "log", Map.of("message", "before close")));
            closing = System.nanoTime();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("close did not wait out the linger").isLessThan(linger.dividedBy(2));
        try (Store reopened = Store.open(StoreConfig.builder().dataDir(dataDir).build())) {
            assertThat(reopened.runs().get("01RUN0000000000000000000L1").orElseThrow().lastSeq())
                    .as("close wrote what the linger held").isEqualTo(4);
        }
    }
}
