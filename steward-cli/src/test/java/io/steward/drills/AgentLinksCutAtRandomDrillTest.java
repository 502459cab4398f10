package io.steward.drills;

import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drill: two real agents, each behind a {@link FaultProxy}, while clients keep invoking runs on them that change a
 * status value every 50 ms; for 20 s (2 minutes in the full drill) each link is, at random moments, cut (FIN) or
 * blackholed (silence) for 0.5 to 4 s, then restored. Afterwards every accepted run has ended with its real outcome
 * (the agents kept running them and replayed their events), with a gapless timeline, as the store agrees.
 */
@Tag(Drills.TAG)
@Isolated // alone, when the drills run side by side: a busy machine widens a race it would then report (docs/drills.md)
class AgentLinksCutAtRandomDrillTest {
    private static final long SEED = 14_2L;

    @TempDir
    Path dir;

    @Test
    void linksCutAndRestoredAtRandomUnderLoadLoseNothing() throws Exception {
        Duration length = Drills.length(Duration.ofSeconds(20), Duration.ofMinutes(2));
        Invariants invariants = new Invariants();
        AtomicInteger faults = new AtomicInteger();
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--agent-grace", "60s"), Map.of());
             FaultProxy p1 = new FaultProxy(primary.port);
             FaultProxy p2 = new FaultProxy(primary.port)) {
            StewardClient admin = primary.admin();
            admin.pushScript("chatty.groovy", "int n = args.n as int; (1..n).each { status.set('i', it); sleep(50) }; n");
            try (StewardProcess a1 = primary.agent(dir, "cut-a1", "http://127.0.0.1:" + p1.port());
                 StewardProcess a2 = primary.agent(dir, "cut-a2", "http://127.0.0.1:" + p2.port())) {
                primary.awaitOnline("cut-a1", "cut-a2");
                Load load = new Load(admin, 4, Long.MAX_VALUE, 500, i -> new Load.Request("chatty.groovy",
                        Map.of("n", 5 + (i * 31L) % 60), "cut-a" + (1 + i % 2)));
                long end = System.nanoTime() + length.toNanos();
                List<Thread> chaos = new ArrayList<>();
                int k = 0;
                for (FaultProxy proxy : List.of(p1, p2)) {
                    SplittableRandom random = new SplittableRandom(SEED + k++);
                    chaos.add(Thread.ofVirtual().start(() -> {
                        try {
                            while (System.nanoTime() < end) {
                                Thread.sleep(500 + random.nextLong(2500));
                                if (random.nextBoolean()) {
                                    proxy.cut();
                                } else {
                                    proxy.blackhole();
                                }
                                faults.incrementAndGet();
                                Thread.sleep(500 + random.nextLong(3500)); // the fault lasts this long
                                proxy.restore();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                for (Thread t : chaos) {
                    t.join();
                }
                p1.restore();
                p2.restore();
                load.close();
                long restored = System.nanoTime();
                primary.awaitOnline("cut-a1", "cut-a2");
                Duration recovered = Duration.ofNanos(System.nanoTime() - restored);
                try {
                    invariants.checkThroughApi(admin, load.accepted, Duration.ofMinutes(3));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + a1.logTail() + "\n" + a2.logTail(), e);
                }
                String drill = "agent links cut at random";
                Drills.figure(drill, "length (s)", length.toSeconds());
                Drills.figure(drill, "faults (cuts and blackholes)", faults.get());
                Drills.figure(drill, "runs accepted", load.acceptedCount());
                Drills.figure(drill, "refused", load.refused);
                Drills.figure(drill, "ended by state", invariants.byState());
                Drills.figure(drill, "agents online after the last restore (ms)", recovered.toMillis());
                List<Map<String, Object>> notSucceeded = invariants.states.entrySet().stream()
                        .filter(e -> !"SUCCEEDED".equals(e.getValue())).map(e -> admin.run(e.getKey())).toList();
                assertThat(notSucceeded).as("runs that did not end with their real outcome, SUCCEEDED (seed %d)\n%s\n%s",
                        SEED, a1.logTail(), a2.logTail()).isEmpty();
            }
            primary.stop();
            try (Store store = Store.open(StoreConfig.embedded(primary.data))) {
                invariants.checkStore(store);
            }
            Drills.figure("agent links cut at random", "runs lost", 0);
        }
    }
}
