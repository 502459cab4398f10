package io.steward.store;

import io.steward.coordination.Coordination;
import io.steward.coordination.Journal;
import io.steward.coordination.Owner;
import io.steward.coordination.Pools;
import io.steward.coordination.Semaphores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SharedCoordination} on a real PostgreSQL (a schema of its own per test), opened by two stores as two primaries
 * would: the contract on one of them, then what only sharing shows: a hold through one excludes the other, waiters on
 * one are woken by a change through the other (by notice, well before the slow poll), every message taken once
 * under contention from both, and a gone primary's holds released in one go. Prints the latency of a lock's
 * acquire and release and of a queue's put and take, on one primary and across two.
 */
class PostgresSharedCoordinationTest extends CoordinationContractTest {
    private PostgresSchema schema;
    private Store a;
    private Store b;

    @BeforeAll
    static void needsPostgres() {
        PostgresSchema.required();
    }

    @BeforeEach
    void open() {
        schema = new PostgresSchema();
        a = Store.open(schema.config().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-a").build());
        b = Store.open(schema.config().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-b").build());
        await().atMost(LONG).until(() -> a.tail().listening() && b.tail().listening());
    }

    @AfterEach
    void close() {
        b.close();
        a.close();
        schema.drop();
    }

    @Override
    Coordination coordination() {
        return a.sharedCoordination();
    }

    @Test
    void aLockHeldThroughOnePrimaryExcludesTheOtherUntilReleasedAndItsWaiterIsWokenByNotice() throws Exception {
        Coordination onA = a.sharedCoordination();
        Coordination onB = b.sharedCoordination();
        Semaphores.Hold held = onA.acquire("deploy", 1, run("r1"), 0);
        assertThat(onB.acquire("deploy", 1, run("r2"), 0)).isNull();
        assertThat(onB.holders("deploy")).contains("r1");
        CompletableFuture<Semaphores.Hold> waiter = waiting(() -> onB.acquire("deploy", 1, run("r2"), LONG.toMillis()));
        await().atMost(LONG).until(() -> !list(onB.view().get("locks")).isEmpty()
                && !((List<?>) list(onB.view().get("locks")).getFirst().get("waiters")).isEmpty());
        long released = System.nanoTime();
        onA.release(held);
        Semaphores.Hold got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS);
        long wokenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
        assertThat(got.owner().runId()).isEqualTo("r2");
        assertThat(onA.acquire("deploy", 1, run("r3"), 0)).as("now held through b").isNull();
        System.out.println("[coord] a waiter on b got the lock " + wokenMs + " ms after a released it");
        onB.release(got);
    }

    @Test
    void varsQueuesEventsAndPoolsAreTheSameThroughEitherPrimary() throws Exception {
        Coordination onA = a.sharedCoordination();
        Coordination onB = b.sharedCoordination();
        onB.putVar("global", "release", "1.4", 0);
        assertThat(onA.getVar("global", "release").value()).isEqualTo("1.4");
        assertThat(onA.compareAndSetVar("global", "release", "1.4", "1.5", 0)).isNotNull();
        assertThat(onB.compareAndSetVar("global", "release", "1.4", "1.6", 0)).as("b saw 1.4, a changed it").isNull();

        onA.put("jobs", "x");
        assertThat(onB.take("jobs", run("r1"), 0).value()).isEqualTo("x");
        CompletableFuture<Boolean> posted = waiting(() -> onB.awaitEvent("go", run("r2"), LONG.toMillis()));
        await().atMost(LONG).until(() -> eventWaiters(onB, "go") == 1);
        onA.post("go");
        assertThat(posted.get(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();

        onA.addPoolEntry("hosts", "h1", null);
        Pools.PoolHold h = onB.acquireEntry("hosts", run("r3"), 0, 0);
        assertThat(onA.acquireEntry("hosts", run("r4"), 0, 0)).isNull();
        onB.release(h);
        assertThat(onA.acquireEntry("hosts", run("r4"), 0, 0)).isNotNull();
    }

    @Test
    void everyMessageIsTakenOnceByTakersOnBothPrimaries() throws Exception {
        int messages = 400;
        List<Object> taken = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> takers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Coordination c = (i % 2 == 0 ? a : b).sharedCoordination();
            Owner owner = new Owner("taker-" + i, "node", "main");
            takers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (Journal.StoredMessage m; (m = c.take("work", owner, 3_000)) != null; ) {
                        taken.add(m.value());
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r)));
        }
        for (int i = 0; i < messages; i++) {
            (i % 2 == 0 ? a : b).sharedCoordination().put("work", (long) i);
        }
        CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(taken).hasSize(messages);
        assertThat(new HashSet<>(taken)).hasSize(messages);
        assertThat(a.sharedCoordination().depth("work")).isZero();
    }

    @Test
    void theHoldsOfAPrimaryThatIsGoneAreReleasedInOneGo() throws Exception {
        Coordination onA = a.sharedCoordination();
        Coordination onB = b.sharedCoordination();
        assertThat(onA.acquire("deploy", 1, run("r1"), 0)).isNotNull();
        onA.addPoolEntry("hosts", "h1", null);
        assertThat(onA.acquireEntry("hosts", run("r1"), 0, 0)).isNotNull();
        CompletableFuture<Semaphores.Hold> waiter = waiting(() -> onB.acquire("deploy", 1, run("r2"), LONG.toMillis()));
        assertThat(b.sharedCoordination().releasePrimary("p-a")).isEqualTo(2);
        assertThat(waiter.get(LONG.toSeconds(), TimeUnit.SECONDS).owner().runId()).isEqualTo("r2");
        assertThat(onB.acquireEntry("hosts", run("r2"), 0, 0)).isNotNull();
    }

    @Test
    void latencyOnOnePrimaryAndAcrossTwo() throws Exception {
        int ops = 300;
        Coordination onA = a.sharedCoordination();
        Coordination onB = b.sharedCoordination();
        System.out.println("[coord] lock acquire+release, one primary: " + lockRoundTrips(onA, onA, ops));
        System.out.println("[coord] lock acquire on b + release on a: " + lockRoundTrips(onB, onA, ops));
        System.out.println("[coord] queue put+take, one primary: " + queueRoundTrips(onA, onA, ops));
        System.out.println("[coord] queue put on a + take on b: " + queueRoundTrips(onA, onB, ops));
        List<Long> handOvers = handOvers(onA, onB, 30);
        System.out.println("[coord] lock hand-over from a's holder to b's waiter: " + percentiles(handOvers));
        // Woken by the slow poll alone, hand-overs took about 400 ms (notices broken on purpose); by notices, a few
        // ms on a quiet machine and tens of ms at a load of 18 on 2 cores.
        assertThat(median(handOvers)).as("hand-overs are woken by notices, not the poll")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(SharedCoordination.POLL_LISTENING_MS * 2 / 5));
    }

    private static long median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String lockRoundTrips(Coordination acquiring, Coordination releasing, int ops) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            long start = System.nanoTime();
            Semaphores.Hold h = acquiring.acquire("bench", 1, run("bench"), 0);
            releasing.release(h);
            nanos.add(System.nanoTime() - start);
        }
        return percentiles(nanos);
    }

    private static String queueRoundTrips(Coordination putting, Coordination taking, int ops) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            long start = System.nanoTime();
            putting.put("bench", i);
            assertThat(taking.take("bench", run("bench"), 5_000)).isNotNull();
            nanos.add(System.nanoTime() - start);
        }
        return percentiles(nanos);
    }

    /** From a release on {@code holder}'s side until the waiter on the other primary has the lock. */
    private List<Long> handOvers(Coordination holder, Coordination other, int rounds) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Semaphores.Hold held = holder.acquire("handover", 1, run("holder"), 0);
            CompletableFuture<Semaphores.Hold> waiter = waiting(() -> other.acquire("handover", 1, run("waiter"), LONG.toMillis()));
            await().atMost(LONG).until(() -> lockWaiters(other, "handover") == 1);
            long start = System.nanoTime();
            holder.release(held);
            Semaphores.Hold got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS);
            nanos.add(System.nanoTime() - start);
            other.release(got);
        }
        return nanos;
    }

    private static int lockWaiters(Coordination c, String name) {
        return list(c.view().get("locks")).stream().filter(l -> name.equals(l.get("name")))
                .mapToInt(l -> ((List<?>) l.get("waiters")).size()).sum();
    }

    private static int eventWaiters(Coordination c, String name) {
        return list(c.view().get("events")).stream().filter(l -> name.equals(l.get("name")))
                .mapToInt(l -> ((List<?>) l.get("waiters")).size()).sum();
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d ops)", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(sorted.size() * 9 / 10) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6, sorted.size());
    }
}
