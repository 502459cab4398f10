package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ChildDispatchStore} on a real PostgreSQL (a schema of its own per test), opened by three stores: the primary
 * that runs the parent ({@code p-a}) and two takers for {@code p-b} (two processes listening as one primary, the worst
 * case). Every child is taken exactly once while both takers and the sender (giving children up) race; the taker
 * hears the offer by notice; a cancel is listed until passed on.
 */
class PostgresChildDispatchTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private PostgresSchema schema;
    private Store a;
    private Store b1;
    private Store b2;

    @BeforeAll
    static void needsPostgres() {
        PostgresSchema.required();
    }

    @BeforeEach
    void open() {
        schema = new PostgresSchema();
        a = Store.open(schema.config().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-a").build());
        b1 = Store.open(schema.config().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-b").build());
        b2 = Store.open(schema.config().languages(StoreContractTest.LANGUAGES).pruneEvery(null).primaryId("p-b").build());
        await().atMost(LONG).until(() -> a.tail().listening() && b1.tail().listening() && b2.tail().listening());
    }

    @AfterEach
    void close() {
        b2.close();
        b1.close();
        a.close();
        schema.drop();
    }

    private static ChildDispatch child(int i) {
        return new ChildDispatch("c-" + i, "parent-1", "agent-" + i, "p-b", "p-a", "steps.groovy", 1,
                Map.of("i", "v" + i), i % 2 == 0 ? null : 5_000L);
    }

    @Test
    void everyChildIsTakenOnceWhileTwoTakersAndItsSenderRace() throws Exception {
        int n = 300;
        for (int i = 0; i < n; i++) {
            a.dispatch().offer(child(i));
        }
        // Then all at once: two takers for p-b and the sender giving every third child up.
        List<String> takenByB = new CopyOnWriteArrayList<>();
        List<String> givenUpByA = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> racers = new ArrayList<>();
        // A thread each (the common pool may have one thread on a small machine, and would run them one by one).
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        for (Store taker : List.of(b1, b2)) {
            racers.add(CompletableFuture.runAsync(() -> {
                waitFor(go);
                while (takenByB.size() + givenUpByA.size() < n) {
                    taker.dispatch().take("p-b", 1 + takenByB.size() % 3).forEach(d -> takenByB.add(d.id()));
                }
            }, threads));
        }
        racers.add(CompletableFuture.runAsync(() -> {
            waitFor(go);
            for (int i = n - 1; i >= 0; i -= 3) { // from the newest: the takers take the oldest first; they meet
                if (a.dispatch().takeOne("c-" + i, "p-a")) {
                    givenUpByA.add("c-" + i);
                }
            }
        }, threads));
        go.countDown();
        CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        threads.shutdown();

        List<String> all = new ArrayList<>(takenByB);
        all.addAll(givenUpByA);
        assertThat(all).as("taken once each").doesNotHaveDuplicates().hasSize(n);
        assertThat(new HashSet<>(all)).hasSize(n);
        System.out.println("[dispatch] " + takenByB.size() + " taken by the two takers, " + givenUpByA.size()
                + " given up by the sender");
        assertThat(takenByB).as("the takers won some").isNotEmpty();
        assertThat(givenUpByA).as("the sender won some").isNotEmpty();
        for (String id : givenUpByA) {
            assertThat(b1.dispatch().takenBy(id)).contains("p-a");
        }
        assertThat(b1.dispatch().take("p-b", 10)).as("nothing left to take").isEmpty();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTakerHearsTheOfferAndGetsWhatWasWritten() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        b1.tail().listenDispatch(heard::add);
        a.dispatch().offer(child(1));
        await().atMost(LONG).until(() -> heard.contains("p-b"));
        List<ChildDispatch> taken = b1.dispatch().take("p-b", 10);
        assertThat(taken).containsExactly(child(1));
        assertThat(a.dispatch().takeOne("c-1", "p-a")).as("taken already").isFalse();
        assertThat(a.dispatch().takenBy("c-1")).contains("p-b");

        assertThat(b1.dispatch().cancelsAsked()).isEmpty();
        a.dispatch().cancel("c-1", "the parent run parent-1 stopped");
        await().atMost(LONG).until(() -> heard.contains("*"));
        assertThat(b2.dispatch().cancelsAsked()).containsExactly(Map.entry("c-1", "the parent run parent-1 stopped"));
        b1.dispatch().cancelPassedOn("c-1");
        assertThat(b2.dispatch().cancelsAsked()).isEmpty();
        a.dispatch().removeAll(List.of("c-1"));
        assertThat(a.dispatch().takenBy("c-1")).isEmpty();
    }
}
