package io.steward.coordination;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The semaphore and pool state machines against a model, over random sequences of operations (seeded; the seed is in
 * the failure message), and their waiters' order with real waiting threads. Written as seeded JUnit repetitions
 * rather than with a property-testing library.
 */
class SemaphoreAndPoolStateMachinesTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    @RepeatedTest(20)
    void semaphoresNeverGrantMoreThanTheirPermitsAndReleaseAllFreesARun() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Semaphores sems = new Semaphores(clock::get);
        Map<String, Integer> permits = Map.of("m", 1, "s2", 2, "s3", 3);
        Map<String, List<Semaphores.Hold>> model = new HashMap<>();
        permits.keySet().forEach(n -> model.put(n, new ArrayList<>()));
        List<String> names = List.copyOf(permits.keySet());
        for (int step = 0; step < 500; step++) {
            String name = names.get(random.nextInt(names.size()));
            String run = "r" + random.nextInt(6);
            Owner owner = new Owner(run, "n", "t" + random.nextInt(2));
            switch (random.nextInt(3)) {
                case 0 -> {
                    boolean alreadyHolds = model.get(name).stream().anyMatch(h -> h.owner().equals(owner));
                    if (permits.get(name) == 1 && alreadyHolds) {
                        continue; // re-entry is an error, checked below
                    }
                    Semaphores.Hold h = sems.acquire(name, permits.get(name), owner, 0);
                    boolean free = model.get(name).size() < permits.get(name);
                    assertThat(h != null).as("seed %d step %d: granted iff free", seed, step).isEqualTo(free);
                    if (h != null) {
                        model.get(name).add(h);
                    }
                }
                case 1 -> {
                    List<Semaphores.Hold> held = model.get(name);
                    if (!held.isEmpty()) {
                        Semaphores.Hold h = held.remove(random.nextInt(held.size()));
                        sems.release(h);
                        sems.release(h); // twice: ignored
                    }
                }
                default -> {
                    int expected = 0;
                    for (List<Semaphores.Hold> held : model.values()) {
                        expected += (int) held.stream().filter(h -> h.owner().isRun(run)).count();
                        held.removeIf(h -> h.owner().isRun(run));
                    }
                    assertThat(sems.releaseAll(run, new IllegalStateException("ended"))).as("seed %d", seed).isEqualTo(expected);
                }
            }
            for (Map<String, Object> v : sems.view()) {
                List<?> holders = (List<?>) v.get("holders");
                assertThat(holders).as("seed %d step %d", seed, step).hasSize(model.get((String) v.get("name")).size())
                        .hasSizeLessThanOrEqualTo(permits.get((String) v.get("name")));
            }
        }
    }

    @RepeatedTest(20)
    void poolsHandEachEntryToOneHolderAtATime() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Pools pools = new Pools(Journal.inMemory(), clock::get);
        Set<String> entries = new HashSet<>();
        Map<String, Pools.PoolHold> held = new HashMap<>();
        for (int step = 0; step < 500; step++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    String e = "e" + random.nextInt(5);
                    pools.add("p", e, Map.of("i", (long) step));
                    entries.add(e);
                }
                case 1 -> {
                    if (entries.isEmpty()) {
                        continue;
                    }
                    Pools.PoolHold h = pools.acquire("p", new Owner("r" + random.nextInt(4), "n", "t"), 0, random.nextInt(3));
                    long free = entries.stream().filter(e -> !held.containsKey(e)).count();
                    assertThat(h != null).as("seed %d step %d", seed, step).isEqualTo(free > 0);
                    if (h != null) {
                        assertThat(held).as("seed %d: %s held twice", seed, h.entry()).doesNotContainKey(h.entry());
                        held.put(h.entry(), h);
                    }
                }
                case 2 -> {
                    if (!held.isEmpty()) {
                        List<String> keys = new ArrayList<>(held.keySet());
                        pools.release(held.remove(keys.get(random.nextInt(keys.size()))));
                    }
                }
                default -> {
                    String e = "e" + random.nextInt(5);
                    boolean removed = pools.remove("p", e);
                    assertThat(removed).as("seed %d", seed).isEqualTo(entries.contains(e));
                    entries.remove(e);
                    // a held entry leaves when released: the model keeps its hold until then
                }
            }
            Map<String, Object> view = pools.view("p");
            if (view != null) {
                List<?> listed = (List<?>) view.get("entries");
                long holders = listed.stream().filter(e -> ((Map<?, ?>) e).get("holder") != null).count();
                assertThat(holders).as("seed %d step %d", seed, step).isEqualTo(held.size());
            }
        }
    }

    @Test
    void poolWaitersAreServedByPriorityThenArrival() throws Exception {
        Pools pools = new Pools(Journal.inMemory(), clock::get);
        pools.add("phones", "a", null);
        Pools.PoolHold first = pools.acquire("phones", new Owner("holder", "n", "t"), 0, 0);
        List<String> served = new CopyOnWriteArrayList<>();
        int[] priorities = {1, 5, 1, 9, 5, 0};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            String who = "w" + i + "p" + priorities[i];
            int priority = priorities[i];
            int waitersBefore = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Pools.PoolHold h = pools.acquire("phones", new Owner(who, "n", "t"), 30_000, priority);
                    served.add(who);
                    pools.release(h);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            // each waiter queued before the next arrives, so arrival order is known
            await().until(() -> ((List<?>) pools.view("phones").get("waiters")).size() == waitersBefore + 1);
        }
        pools.release(first);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(served).containsExactly("w3p9", "w1p5", "w4p5", "w0p1", "w2p1", "w5p0");
    }

    @Test
    void aMutexServesWaitersInArrivalOrderAndATimedOutWaiterLeavesTheQueue() throws Exception {
        Semaphores sems = new Semaphores(clock::get);
        Semaphores.Hold held = sems.acquire("m", 1, new Owner("a", "n", "t"), 0);
        assertThat(sems.acquire("m", 1, new Owner("b", "n", "t"), 10)).isNull();
        assertThat((List<?>) sems.view().getFirst().get("waiters")).isEmpty();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String run = "w" + i;
            int before = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Semaphores.Hold h = sems.acquire("m", 1, new Owner(run, "n", "t"), 30_000);
                    order.add(run);
                    sems.release(h);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            await().until(() -> ((List<?>) sems.view().getFirst().get("waiters")).size() == before + 1);
        }
        sems.release(held);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(order).containsExactly("w0", "w1", "w2", "w3");
        assertThat(sems.view()).isEmpty(); // forgotten when idle
    }
}
