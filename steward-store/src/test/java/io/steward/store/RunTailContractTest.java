package io.steward.store;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store tail's contract on every backend: two stores on one database, as two primaries of a cluster have;
 * {@code other} writes a run, {@code here} follows it through its tail, never through a writer of its own.
 */
abstract class RunTailContractTest {
    Store here;
    Store other;

    /** The one database both stores open (a subclass's fresh one per test). */
    abstract StoreConfig.Builder database();

    @BeforeEach
    void open() {
        here = Store.open(database().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-here").build());
        // On PostgreSQL: here listens before other opens, so other's writer knows from its start that someone does.
        await().atMost(Duration.ofSeconds(10)).until(() -> here.backend().equals("H2") || here.tail().listening());
        other = Store.open(database().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-other").build());
    }

    @AfterEach
    void close() {
        if (other != null) {
            other.close();
        }
        if (here != null) {
            here.close();
        }
    }

    /** Creates a run on {@code other} with events 1..{@code events} committed. */
    RunSnapshot started(String id, int events) throws InterruptedException {
        RunSnapshot run = Snapshots.queued(id, "tailed.groovy", Instant.now());
        other.writer().accept(Snapshots.state(id, 1, RunState.QUEUED));
        other.writer().runCreated(run);
        for (int seq = 2; seq <= events; seq++) {
            other.writer().accept(Snapshots.event(id, seq, "log", Map.of("message", "line " + seq)));
        }
        other.writer().flush();
        return run;
    }

    @Test
    void aFollowerOfAnotherPrimarysRunLearnsOfEachCommitAndOfItsEnd() throws Exception {
        RunSnapshot run = started("01TAILEDRUN0000000000000001", 2);
        try (RunTail.Following following = here.tail().follow(run.id())) {
            assertThat(following.seq()).as("known from the start").isEqualTo(2);
            long seen = following.version();
            for (int seq = 3; seq <= 5; seq++) {
                other.writer().accept(Snapshots.event(run.id(), seq, "log", Map.of("message", "line " + seq)));
            }
            other.writer().flush();
            assertThat(following.await(2, seen, Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> following.seq() == 5);
            assertThat(here.events().page(run.id(), 2, 10)).extracting(e -> e.seq()).containsExactly(3L, 4L, 5L);

            // The end moves no sequence number past the last event's, yet wakes the follower.
            seen = following.version();
            other.writer().runEnded(Snapshots.ended(run, RunState.SUCCEEDED, Instant.now(), 5));
            other.writer().flush();
            assertThat(following.await(5, seen, Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    here.runs().get(run.id()).orElseThrow().state() == RunState.SUCCEEDED);
            assertThat(here.tail().followedRuns()).isEqualTo(1);
        }
        assertThat(here.tail().followedRuns()).as("the last follower gone, the run is not followed").isZero();
    }

    @Test
    void aWaitWithNothingHeardTimesOut() throws Exception {
        RunSnapshot run = started("01TAILEDRUN0000000000000002", 3);
        try (RunTail.Following following = here.tail().follow(run.id())) {
            // The notices of the commits above may still arrive (each wakes the waiter): then nothing more does.
            long seen = following.version();
            long started;
            boolean woken;
            int wakes = 0;
            do {
                started = System.nanoTime();
                woken = following.await(3, seen, Duration.ofMillis(600));
                seen = following.version();
            } while (woken && ++wakes < 5);
            assertThat(woken).isFalse();
            assertThat(following.seq()).isEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        }
    }

    /**
     * Rows committed with no notice at all (a writer that sends none, notices lost with the listening connection):
     * the poll finds them.
     */
    @Test
    void commitsThatNoNoticeToldAreFoundByThePoll() throws Exception {
        RunSnapshot run = started("01TAILEDRUN0000000000000003", 2);
        try (RunTail.Following following = here.tail().follow(run.id())) {
            long seen = following.version();
            try (Connection c = DriverManager.getConnection(other.config().jdbcUrl(), other.config().user(),
                    other.config().password())) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO run_events (run_id, seq, kind, event_time, data) VALUES (?, 3, 'log', 0, '{}')")) {
                    ps.setString(1, run.id());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET last_seq = 3 WHERE id = ?")) {
                    ps.setString(1, run.id());
                    ps.executeUpdate();
                }
                c.commit();
            }
            long committed = System.nanoTime();
            // Each wake (a late notice of the earlier commits counts too) is a chance to look again.
            while (following.seq() < 3 && System.nanoTime() - committed < Duration.ofSeconds(10).toNanos()) {
                following.await(2, seen, Duration.ofSeconds(10));
                seen = following.version();
            }
            assertThat(following.seq()).isEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - committed)).as("within a poll or two")
                    .isLessThan(RunTail.POLL_LISTENING.multipliedBy(3));
        }
    }
}
