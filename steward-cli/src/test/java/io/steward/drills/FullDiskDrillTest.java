package io.steward.drills;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: the primary's data folder (its H2 file) on a 64 MiB tmpfs that a filler file then fills to the last byte,
 * while clients keep invoking runs that write events, for 10 s (a minute in the full drill). Every answer must be
 * quick and clear: accepted, or a 503 naming the store; never a 500 or a hang. Then the filler is removed and every
 * run the primary accepted must exist and have ended. The primary should serve again without a restart; on H2 it
 * does not yet (H2 stops writing after a failed write), so the drill then restarts it and says so in its figures.
 */
@Tag(Drills.TAG)
// Full drill only (bench/drills) until the bugs it found are fixed: after the disk was full, H2 does not reliably heal,
// and after a restart a run the API had accepted while the disk was full can be missing; see docs/drills.md.
@EnabledIfSystemProperty(named = "steward.drills", matches = "full")
class FullDiskDrillTest {
    @TempDir
    Path dir;

    @Test
    void aFullDataDiskAnswersClearErrorsLosesNothingAcceptedAndRecoversWhenFreed() throws Exception {
        Assumptions.assumeTrue(Drills.root(), "mounting a tmpfs needs root");
        Duration full = Drills.length(Duration.ofSeconds(10), Duration.ofMinutes(1));
        Invariants invariants = new Invariants();
        try (TmpfsMount disk = TmpfsMount.mount(dir.resolve("disk"), 64)) {
            Path data = disk.path.resolve("data");
            Files.createDirectories(data);
            try (PrimaryProcess primary = PrimaryProcess.start(dir, data, List.of(), Map.of())) {
                StewardClient admin = primary.admin();
                admin.pushScript("note.groovy", "(1..20).each { status.set('i', it) }; 'noted'");
                assertThat(admin.invoke("note.groovy", null, Map.of(), null, Duration.ofSeconds(30))).containsEntry("state", "SUCCEEDED");

                Path filler = disk.path.resolve("filler");
                long filled = disk.fill(filler);
                Load load = new Load(admin, 4, Long.MAX_VALUE, 100, i -> new Load.Request("note.groovy", Map.of(), null));
                Thread.sleep(full.toMillis()); // the fault lasts this long
                load.close();
                Files.delete(filler);
                long freed = System.nanoTime();
                // Known gap (issue 14 drill finding): H2 does not reliably heal after a failed write when space
                // returns (new runs may work while reads of older ones still fail), so the primary may keep
                // answering 503 until it is restarted. The drill
                // records which happened, and after a restart checks that nothing accepted was lost.
                boolean healedAlone = true;
                try {
                    await().atMost(Duration.ofSeconds(20)).ignoreException(StewardApiException.class)
                            .until(() -> serves(admin) && load.accepted.stream().allMatch(id -> Invariants.exists(admin, id)));
                } catch (org.awaitility.core.ConditionTimeoutException stillFull) {
                    healedAlone = false;
                    primary.stop();
                    primary.startAgain();
                }
                StewardClient after = primary.admin();
                await().atMost(Duration.ofSeconds(60)).ignoreException(StewardApiException.class).until(() -> serves(after));
                Duration recovered = Duration.ofNanos(System.nanoTime() - freed);
                try {
                    invariants.checkThroughApi(after, load.accepted, Duration.ofMinutes(2));
                } catch (StewardApiException notHealed) {
                    assertThat(notHealed.status()).as("a store still failing answers 503: %s", notHealed).isEqualTo(503);
                    healedAlone = false; // it served new runs, but some reads still failed: the gap again
                    primary.stop();
                    primary.startAgain();
                    invariants.checkThroughApi(primary.admin(), load.accepted, Duration.ofMinutes(2));
                }

                String drill = "full data disk (64 MiB tmpfs)";
                Drills.figure(drill, "full for (s)", full.toSeconds());
                Drills.figure(drill, "filler (MiB)", filled >> 20);
                Drills.figure(drill, "runs accepted while full", load.acceptedCount());
                Drills.figure(drill, "refused while full", load.refused);
                Drills.figure(drill, "ended by state", invariants.byState());
                Drills.figure(drill, "serving again after space was freed (ms)", recovered.toMillis());
                Drills.figure(drill, "recovered without a restart", healedAlone ? "yes" : "no: restarted (H2 gap)");
                assertThat(load.refused.keySet()).as("answers while the disk was full").allMatch(k -> k.startsWith("503 "));
                primary.stop();
                try (Store store = Store.open(StoreConfig.embedded(data))) {
                    invariants.checkStore(store);
                }
                Drills.figure(drill, "runs lost", 0);
            }
        }
    }

    private static boolean serves(StewardClient admin) {
        return "SUCCEEDED".equals(admin.invoke("note.groovy", null, Map.of(), null, Duration.ofSeconds(10)).get("state"));
    }
}
