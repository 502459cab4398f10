package io.steward.drills;

import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: kill -9 of the primary while clients keep invoking and many runs are live on the primary and on two real
 * agents; the primary is started again on the same port and data. Nothing the API accepted may be lost.
 */
@Tag(Drills.TAG)
class PrimaryKilledUnderLoadDrillTest {
    @TempDir
    Path dir;

    @Test
    void aKill9OfThePrimaryUnderConcurrentRunsLosesNoAcceptedRun() throws Exception {
        int runs = Drills.count(80, 200);
        Invariants invariants = new Invariants();
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--agent-grace", "15s"), Map.of())) {
            StewardClient admin = primary.admin();
            admin.pushScript("work.groovy", "sleep(args.ms as long); status.set('done', true); 'ok'");
            try (StewardProcess a1 = primary.agent(dir, "drill-a1", null);
                 StewardProcess a2 = primary.agent(dir, "drill-a2", null)) {
                primary.awaitOnline("drill-a1", "drill-a2");
                // a third of the runs on the primary itself, the rest on the agents; 1.5 to 8 s each, so that most
                // are live when the primary dies
                Load burst = new Load(admin, 25, runs, i -> new Load.Request("work.groovy",
                        Map.of("ms", 1500 + (i * 7919L) % 6500), i % 3 == 0 ? null : "drill-a" + (1 + i % 2)));
                burst.join();
                // and clients that keep invoking through the kill and the restart: what was accepted just before
                // the kill must be there after it
                Load steady = new Load(admin, 4, Long.MAX_VALUE, 100, i -> new Load.Request("work.groovy",
                        Map.of("ms", 200 + (i * 131L) % 1000), i % 2 == 0 ? null : "drill-a" + (1 + i % 4 / 2)));
                await().atMost(Duration.ofSeconds(30)).until(() -> steady.acceptedCount() >= 20);
                long live = admin.runs(io.steward.client.RunQuery.all().state("RUNNING").limit(1000)).runs().size();
                primary.kill9();
                long killed = System.nanoTime();
                Duration start = primary.startAgain();
                primary.awaitOnline("drill-a1", "drill-a2");
                Duration recovered = Duration.ofNanos(System.nanoTime() - killed);
                int afterRestart = steady.acceptedCount();
                await().atMost(Duration.ofSeconds(60)).until(() -> steady.acceptedCount() >= afterRestart + 20);
                steady.close();
                List<String> accepted = new java.util.ArrayList<>(burst.accepted);
                accepted.addAll(steady.accepted);
                invariants.checkThroughApi(primary.admin(), accepted, Duration.ofMinutes(3));

                String drill = "kill -9 of the primary";
                Drills.figure(drill, "runs accepted", accepted.size());
                Drills.figure(drill, "runs live when killed", live);
                Drills.figure(drill, "refused while down", steady.refused);
                Drills.figure(drill, "ended by state", invariants.byState());
                Drills.figure(drill, "primary start after kill (ms)", start.toMillis());
                Drills.figure(drill, "recovered: agents online again (ms)", recovered.toMillis());
                assertThat(burst.acceptedCount()).as("refused before the kill: %s", burst.refused).isEqualTo(runs);
            }
            primary.stop();
            try (Store store = Store.open(StoreConfig.embedded(primary.data))) {
                invariants.checkStore(store);
            }
            Drills.figure("kill -9 of the primary", "runs lost", 0);
        }
    }
}
