package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rows several primaries share, on every backend: a lease has one holder at a time, however many race for it,
 * and passes on only once expired by the database's clock or released; a primary's row says whether it is alive and
 * which agents it has; a primary's start-up marks LOST only its own runs, and the reaper's update spares a primary
 * seen lately.
 */
abstract class ClusterStoreContractTest {
    Store store;

    abstract StoreConfig.Builder database();

    @BeforeEach
    void openStore() {
        store = Store.open(database().languages(StoreContractTest.LANGUAGES).pruneEvery(null).build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aLeaseHasOneHolderUntilItExpiresOrIsReleased() throws Exception {
        LeaseStore leases = store.leases();
        assertThat(leases.take("schedule", "p-a", Duration.ofSeconds(30))).isTrue();
        assertThat(leases.take("schedule", "p-b", Duration.ofSeconds(30))).as("held by another").isFalse();
        assertThat(leases.take("schedule", "p-a", Duration.ofSeconds(30))).as("renewed by its holder").isTrue();
        assertThat(leases.list()).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo("p-a");
            assertThat(l.expired()).isFalse();
        });

        leases.release("schedule", "p-b"); // not the holder: nothing happens
        assertThat(leases.take("schedule", "p-b", Duration.ofSeconds(30))).isFalse();
        leases.release("schedule", "p-a");
        assertThat(leases.take("schedule", "p-b", Duration.ofMillis(300))).as("released: free to take").isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> leases.list().getFirst().expired());
        assertThat(leases.take("schedule", "p-a", Duration.ofSeconds(30))).as("expired: free to take").isTrue();
        assertThat(leases.list().getFirst().holder()).isEqualTo("p-a");
    }

    @Test
    void primariesRacingForAFreeOrExpiredLeaseGetOneWinner() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 5; round++) {
                String name = "race-" + round;
                if (round % 2 == 1) {
                    store.leases().take(name, "p-old", Duration.ofMillis(1)); // an expired holder to take over from
                    await().atMost(Duration.ofSeconds(5)).until(() -> store.leases().list().stream()
                            .anyMatch(l -> l.name().equals(name) && l.expired()));
                }
                List<Callable<Boolean>> takers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String holder = "p-" + i;
                    takers.add(() -> store.leases().take(name, holder, Duration.ofSeconds(30)));
                }
                long winners = 0;
                for (Future<Boolean> f : pool.invokeAll(takers)) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).as("winners of %s", name).isEqualTo(1);
            }
        }
    }

    @Test
    void aPrimaryRowSaysAliveAndItsAgentsUntilItGoesSilentOrLeaves() {
        PrimaryStore primaries = store.primaries();
        primaries.register("p-a", "http://127.0.0.1:1");
        primaries.beat("p-a", "http://127.0.0.1:1", 2, List.of("web-1", "web-2"));
        primaries.beat("p-a", "http://127.0.0.1:1", 2, null); // names unchanged: kept
        assertThat(primaries.list(Duration.ofSeconds(30))).singleElement().satisfies(p -> {
            assertThat(p.alive()).isTrue();
            assertThat(p.agents()).isEqualTo(2);
            assertThat(p.agentNames()).containsExactly("web-1", "web-2");
            assertThat(p.url()).isEqualTo("http://127.0.0.1:1");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !primaries.list(Duration.ofMillis(200)).getFirst().alive());
        assertThat(primaries.aliveWithin(Duration.ofMillis(200))).isEmpty();
        assertThat(primaries.known()).containsExactly("p-a");
        primaries.remove("p-a");
        assertThat(primaries.list(Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void startUpMarksOnlyItsOwnRunsLostAndTheReaperSparesAPrimarySeenLately() throws Exception {
        String self = store.config().primaryId();
        RunSnapshot mine = live("01CLUSTER00000000000000MINE", "here");
        RunSnapshot ofAlive = live("01CLUSTER0000000000000ALIVE", "agent-of-alive");
        RunSnapshot ofGone = live("01CLUSTER00000000000000GONE", "agent-of-gone");
        store.writer().flush();
        // Runs of other primaries: agents that failed over brought them there.
        store.runs().adopt("agent-of-alive", "p-alive");
        store.runs().adopt("agent-of-gone", "p-gone");
        store.primaries().register("p-alive", null);
        assertThat(store.runs().primariesWithLiveRuns()).containsExactlyInAnyOrder(self, "p-alive", "p-gone");

        assertThat(store.runs().markLostOfSilentPrimary("p-alive", Duration.ofSeconds(30), "gone")).isZero();
        assertThat(store.runs().markLostOfSilentPrimary("p-gone", Duration.ofSeconds(30), "p-gone is gone")).isEqualTo(1);
        assertThat(store.runs().markLostOf(self, false, "restarted")).isEqualTo(1);

        assertThat(store.runs().get(mine.id()).orElseThrow().state()).isEqualTo(RunState.LOST);
        assertThat(store.runs().get(ofGone.id()).orElseThrow().error().message()).isEqualTo("p-gone is gone");
        assertThat(store.runs().get(ofAlive.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(store.runs().primariesWithLiveRuns()).containsExactly("p-alive");
    }

    @Test
    void theReaperEndsARunOfAGonePrimaryWithItsStoredFinalStateInsteadOfLost() throws Exception {
        RunSnapshot ended = live("01CLUSTER0000000000000ENDED", "agent-of-gone");
        RunSnapshot unfinished = live("01CLUSTER000000000000UNFIN", "agent-of-gone");
        long endedAt = Instant.now().minusSeconds(5).toEpochMilli();
        // Its final state event was committed, its row's end never was: the primary died in between.
        store.writer().accept(Snapshots.finalState(ended.id(), 3, endedAt, RunState.TIMED_OUT));
        store.writer().flush();
        store.runs().adopt("agent-of-gone", "p-gone");

        assertThat(store.runs().markLostOfSilentPrimary("p-gone", Duration.ofSeconds(30), "p-gone is gone"))
                .isEqualTo(1);

        RunRecord timedOut = store.runs().get(ended.id()).orElseThrow();
        assertThat(timedOut.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(timedOut.error().message()).isEqualTo("it broke");
        assertThat(timedOut.endedAt()).isEqualTo(Instant.ofEpochMilli(endedAt));
        assertThat(timedOut.lastSeq()).isEqualTo(3);
        assertThat(store.runs().get(unfinished.id()).orElseThrow().state()).isEqualTo(RunState.LOST);
        assertThat(store.runs().primariesWithLiveRuns()).isEmpty();
    }

    private RunSnapshot live(String id, String node) {
        RunSnapshot q = Snapshots.queued(id, "a.groovy", Instant.now());
        RunSnapshot run = new RunSnapshot(q.id(), q.script(), q.version(), q.state(), q.args(), q.shared(),
                q.statusValues(), q.progress(), q.threads(), q.threadsStarted(), q.processes(), q.createdAt(),
                q.startedAt(), q.endedAt(), q.result(), q.error(), node, q.parent(), q.children(), q.invoker(),
                q.lastSeq());
        store.writer().accept(Snapshots.state(id, 1, RunState.QUEUED));
        store.writer().runCreated(run);
        store.writer().accept(Snapshots.state(id, 2, RunState.RUNNING));
        return run;
    }
}
