package io.steward.store;

import io.steward.coordination.Coordination;
import io.steward.coordination.Journal;
import io.steward.coordination.LocalCoordination;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link Coordination} promises, the same for a primary alone ({@link LocalCoordination}) and for primaries that
 * share their database ({@link SharedCoordination}): variables with compare-and-set and TTL, semaphores with their
 * permits and timeouts, events posted and pulsed, queues in order, pools by priority, and a run's end freeing what
 * it held. Waiters are real threads.
 */
abstract class CoordinationContractTest {
    static final Duration LONG = Duration.ofSeconds(20);

    /** The coordination under test, fresh (empty) for each test. */
    abstract Coordination coordination();

    static Owner run(String id) {
        return new Owner(id, "node-1", "main");
    }

    /** A thread of its own for a wait; the result is what the wait returned (or how it failed). */
    static <T> CompletableFuture<T> waiting(java.util.concurrent.Callable<T> wait) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                out.complete(wait.call());
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object views) {
        return (List<Map<String, Object>>) views;
    }

    int lockWaiters(String name) {
        return list(coordination().view().get("locks")).stream().filter(l -> name.equals(l.get("name")))
                .mapToInt(l -> ((List<?>) l.get("waiters")).size()).sum();
    }

    int poolWaiters(String name) {
        Map<String, Object> view = coordination().poolView(name);
        return view == null ? 0 : ((List<?>) view.get("waiters")).size();
    }

    int queueWaiters(String name) {
        return list(coordination().view().get("queues")).stream().filter(q -> name.equals(q.get("name")))
                .mapToInt(q -> ((List<?>) q.get("waiters")).size()).sum();
    }

    int eventWaiters(String name) {
        return list(coordination().view().get("events")).stream().filter(q -> name.equals(q.get("name")))
                .mapToInt(q -> ((List<?>) q.get("waiters")).size()).sum();
    }

    @Test
    void variablesCompareAndSetAsJsonAndVersionsGrow() {
        Coordination c = coordination();
        assertThat(c.getVar("global", "build")).isNull();
        assertThat(c.compareAndSetVar("global", "build", 1L, 2L, 0)).as("absent is not 1").isNull();
        Journal.StoredVar first = c.compareAndSetVar("global", "build", null, 1L, 0);
        assertThat(first.version()).isEqualTo(1);
        assertThat(c.compareAndSetVar("global", "build", null, 5L, 0)).as("present is not absent").isNull();
        assertThat(c.compareAndSetVar("global", "build", 2L, 5L, 0)).isNull();
        assertThat(c.compareAndSetVar("global", "build", 1L, 2L, 0).version()).isEqualTo(2);
        assertThat(c.putVar("global", "build", Map.of("n", 3), 0).version()).isEqualTo(3);
        assertThat(c.getVar("global", "build").value()).isEqualTo(Map.of("n", 3L));
        assertThat(c.setVarIfVersion("global", "build", 2, "x", 0)).isNull();
        assertThat(c.setVarIfVersion("global", "build", 3, "x", 0).version()).isEqualTo(4);
        assertThat(c.setVarIfVersion("global", "fresh", 0, "y", 0).version()).isEqualTo(1);
        c.putVar("node:web-1", "a", true, 0);
        assertThat(c.varNames("global")).containsExactly("build", "fresh");
        assertThat(c.vars(null)).extracting(Journal.StoredVar::scope).containsExactly("global", "global", "node:web-1");
        assertThat(c.removeVar("global", "fresh")).isTrue();
        assertThat(c.removeVar("global", "fresh")).isFalse();
        assertThatThrownBy(() -> c.putVar("nowhere", "a", 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use global or node:NAME");
        assertThatThrownBy(() -> c.putVar("global", "a", 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must be 0");
    }

    @Test
    void aVariableWithATimeToLiveReadsAsAbsentOnceItExpires() {
        Coordination c = coordination();
        c.putVar("global", "lease", "mine", 300);
        assertThat(c.getVar("global", "lease").expiresAt()).isNotNull();
        await().atMost(LONG).until(() -> c.getVar("global", "lease") == null);
        assertThat(c.varNames("global")).doesNotContain("lease");
        assertThat(c.compareAndSetVar("global", "lease", null, "yours", 0)).as("expired counts as absent").isNotNull();
    }

    @Test
    void aSemaphoreGrantsItsPermitsOnlyAndTheNextWaiterGetsAReleasedOne() throws Exception {
        Coordination c = coordination();
        Semaphores.Hold one = c.acquire("builders", 2, run("r1"), 0);
        Semaphores.Hold two = c.acquire("builders", 2, run("r2"), 0);
        assertThat(one).isNotNull();
        assertThat(two).isNotNull();
        assertThat(c.acquire("builders", 2, run("r3"), 0)).as("both permits held").isNull();
        long start = System.nanoTime();
        assertThat(c.acquire("builders", 2, run("r3"), 300)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(c.holders("builders")).contains("r1").contains("r2");
        assertThatThrownBy(() -> c.acquire("builders", 3, run("r4"), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is in use with 2 permits");

        CompletableFuture<Semaphores.Hold> third = waiting(() -> c.acquire("builders", 2, run("r3"), LONG.toMillis()));
        await().atMost(LONG).until(() -> lockWaiters("builders") == 1);
        assertThat(third).isNotDone();
        c.release(one);
        Semaphores.Hold got = third.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(got.owner().runId()).isEqualTo("r3");
        c.release(one); // twice: ignored
        c.release(two);
        c.release(got);
        assertThat(c.holders("builders")).isEqualTo("nobody");
    }

    @Test
    void aLockIsNotReentrant() throws Exception {
        Coordination c = coordination();
        Semaphores.Hold held = c.acquire("deploy", 1, run("r1"), 0);
        assertThatThrownBy(() -> c.acquire("deploy", 1, run("r1"), 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not re-entrant");
        assertThat(c.acquire("deploy", 1, new Owner("r1", "node-1", "other-thread"), 0)).as("a sibling thread").isNull();
        c.release(held);
    }

    @Test
    void aPostWakesEveryWaiterAndStaysAPulseWakesThoseWaitingAndDoesNot() throws Exception {
        Coordination c = coordination();
        assertThat(c.awaitEvent("ready", run("r1"), 0)).isFalse();
        CompletableFuture<Boolean> a = waiting(() -> c.awaitEvent("ready", run("r1"), LONG.toMillis()));
        CompletableFuture<Boolean> b = waiting(() -> c.awaitEvent("ready", run("r2"), LONG.toMillis()));
        await().atMost(LONG).until(() -> eventWaiters("ready") == 2);
        c.post("ready");
        assertThat(a.get(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(b.get(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(c.isPosted("ready")).isTrue();
        assertThat(c.awaitEvent("ready", run("r3"), 0)).isTrue();
        c.reset("ready");
        assertThat(c.isPosted("ready")).isFalse();

        CompletableFuture<Boolean> pulsed = waiting(() -> c.awaitEvent("tick", run("r1"), LONG.toMillis()));
        await().atMost(LONG).until(() -> eventWaiters("tick") == 1);
        assertThat(c.pulse("tick")).isEqualTo(1);
        assertThat(pulsed.get(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(c.isPosted("tick")).isFalse();
        assertThat(c.awaitEvent("tick", run("r1"), 200)).as("a pulse does not stay").isFalse();
    }

    @Test
    void aQueueHandsMessagesOutInPutOrderAndAWaitingTakerGetsTheNextPut() throws Exception {
        Coordination c = coordination();
        long first = c.put("jobs", "a");
        long second = c.put("jobs", Map.of("b", 2));
        assertThat(second).isGreaterThan(first);
        c.put("jobs", 3);
        assertThat(c.depth("jobs")).isEqualTo(3);
        assertThat(c.queuedMessages()).isEqualTo(3);
        assertThat(c.take("jobs", run("r1"), 0).value()).isEqualTo("a");
        assertThat(c.take("jobs", run("r1"), 0).value()).isEqualTo(Map.of("b", 2L));
        assertThat(c.take("jobs", run("r1"), 0).value()).isEqualTo(3L);
        assertThat(c.take("jobs", run("r1"), 0)).isNull();
        assertThat(c.take("jobs", run("r1"), 200)).isNull();

        CompletableFuture<Journal.StoredMessage> taker = waiting(() -> c.take("jobs", run("r2"), LONG.toMillis()));
        await().atMost(LONG).until(() -> queueWaiters("jobs") == 1);
        c.put("jobs", "late");
        assertThat(taker.get(LONG.toSeconds(), TimeUnit.SECONDS).value()).isEqualTo("late");
        assertThat(c.depth("jobs")).isZero();
    }

    @Test
    void aPoolServesHigherPrioritiesFirstAndAnEntryRemovedWhileHeldLeavesOnRelease() throws Exception {
        Coordination c = coordination();
        assertThatThrownBy(() -> c.acquireEntry("phones", run("r1"), 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there is no pool 'phones'");
        c.addPoolEntry("phones", "pixel", Map.of("os", "android"));
        Pools.PoolHold held = c.acquireEntry("phones", run("r1"), 0, 0);
        assertThat(held.entry()).isEqualTo("pixel");
        assertThat(held.value()).isEqualTo(Map.of("os", "android"));
        assertThat(c.acquireEntry("phones", run("r2"), 0, 0)).isNull();

        CompletableFuture<Pools.PoolHold> low = waiting(() -> c.acquireEntry("phones", run("low"), LONG.toMillis(), 1));
        await().atMost(LONG).until(() -> poolWaiters("phones") == 1);
        CompletableFuture<Pools.PoolHold> high = waiting(() -> c.acquireEntry("phones", run("high"), LONG.toMillis(), 5));
        await().atMost(LONG).until(() -> poolWaiters("phones") == 2);
        c.release(held);
        Pools.PoolHold first = high.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(first.owner().runId()).isEqualTo("high");
        assertThat(low).isNotDone();
        assertThat(c.poolEntries("phones")).singleElement().satisfies(e -> assertThat(e.get("holder")).isNotNull());

        assertThat(c.removePoolEntry("phones", "pixel")).as("held: leaves on release").isTrue();
        assertThat(c.poolEntries("phones")).singleElement().satisfies(e -> assertThat(e.get("leaving")).isEqualTo(true));
        c.addPoolEntry("phones", "iphone", null);
        assertThat(low.get(LONG.toSeconds(), TimeUnit.SECONDS).entry()).isEqualTo("iphone");
        c.release(first);
        assertThat(c.poolEntries("phones")).extracting(e -> e.get("entry")).containsExactly("iphone");
    }

    @Test
    void aRunsEndReleasesWhatItHeldAndEndsItsWaits() throws Exception {
        Coordination c = coordination();
        assertThat(c.acquire("deploy", 1, run("ending"), 0)).isNotNull();
        c.addPoolEntry("hosts", "h1", null);
        assertThat(c.acquireEntry("hosts", run("ending"), 0, 0)).isNotNull();
        CompletableFuture<Semaphores.Hold> stuck = waiting(() -> c.acquire("deploy", 1, new Owner("ending", "node-1", "t2"),
                LONG.toMillis()));
        await().atMost(LONG).until(() -> lockWaiters("deploy") == 1);

        c.runEnded("ending");
        assertThatThrownBy(() -> stuck.get(LONG.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LocalCoordination.RunEndedWhileWaiting.class);
        assertThat(c.acquire("deploy", 1, run("next"), 0)).as("the lock is free").isNotNull();
        assertThat(c.acquireEntry("hosts", run("next"), 0, 0)).as("the entry is free").isNotNull();
    }
}
