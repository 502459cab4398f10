package io.steward.drills;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: the primary's data folder (its H2 file) on a 64 MiB tmpfs that a filler file then fills to the last byte,
 * while runs started before are still writing events and clients keep invoking, for 10 s (a minute in the full
 * drill). Every answer must be quick and clear: accepted, or a 503 naming the disk; never a 500 or a hang. The runs
 * under way must finish with every event kept. Then the filler is removed: the primary must serve again without a
 * restart, and every run it accepted must exist and have ended, in the API and in its store.
 *
 * <p>Found by this drill: H2 closes its store when a write fails for want of space and, reopened, missed commits it
 * had confirmed, so an accepted run was lost; the primary never served again without a restart. The store now keeps a
 * disk reserve and refuses new runs before H2 can run out of space (DiskGuard), answers an invoke only once its run
 * is committed (EventWriter#admit), and lets the pool reopen a database H2 closed (BrokenConnections).
 */
@Tag(Drills.TAG)
class FullDiskDrillTest {
    /** Kept when the drill fails: the primary's log is in it. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aFullDataDiskAnswersClearErrorsLosesNothingAcceptedAndRecoversWhenFreed() throws Exception {
        Assumptions.assumeTrue(Drills.root(), "mounting a tmpfs needs root");
        Duration full = Drills.length(Duration.ofSeconds(10), Duration.ofMinutes(1));
        System.out.println("full-disk drill folder (kept if it fails): " + dir);
        Invariants invariants = new Invariants();
        try (TmpfsMount disk = TmpfsMount.mount(dir.resolve("disk"), 64)) {
            Path data = disk.path.resolve("data");
            Files.createDirectories(data);
            try (PrimaryProcess primary = PrimaryProcess.start(dir, data, List.of(), Map.of())) {
                StewardClient admin = primary.admin();
                admin.pushScript("note.groovy", "(1..20).each { status.set('i', it) }; 'noted'");
                // Writes a status value every 50 ms for the given seconds: events to store while the disk is full.
                admin.pushScript("chatty.groovy", "(1..(args.seconds * 20)).each { status.set('i', it); sleep(50) }; 'said'");
                assertThat(admin.invoke("note.groovy", null, Map.of(), null, Duration.ofSeconds(30))).containsEntry("state", "SUCCEEDED");
                List<String> underWay = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    underWay.add((String) admin.invoke("chatty.groovy", null, Map.of("seconds", full.toSeconds() + 3), null, null).get("id"));
                }

                Path filler = disk.path.resolve("filler");
                long filled = disk.fill(filler);
                Load load = new Load(admin, 4, Long.MAX_VALUE, 100, i -> new Load.Request("note.groovy", Map.of(), null));
                Thread.sleep(full.toMillis()); // the fault lasts this long
                load.close();
                Files.delete(filler);
                long freed = System.nanoTime();
                await().atMost(Duration.ofSeconds(20)).ignoreException(StewardApiException.class).until(() -> serves(admin));
                Duration recovered = Duration.ofNanos(System.nanoTime() - freed);
                List<String> accepted = new ArrayList<>(load.accepted);
                accepted.addAll(underWay);
                invariants.checkThroughApi(admin, accepted, Duration.ofMinutes(2));
                for (String id : underWay) {
                    assertThat(admin.run(id)).as("run %s, under way while the disk was full", id).containsEntry("state", "SUCCEEDED");
                }

                String drill = "full data disk (64 MiB tmpfs)";
                Drills.figure(drill, "full for (s)", full.toSeconds());
                Drills.figure(drill, "filler (MiB)", filled >> 20);
                Drills.figure(drill, "runs under way while full (all SUCCEEDED)", underWay.size());
                Drills.figure(drill, "runs accepted while full", load.acceptedCount());
                Drills.figure(drill, "refused while full", load.refused);
                Drills.figure(drill, "ended by state", invariants.byState());
                Drills.figure(drill, "serving again after space was freed, without a restart (ms)", recovered.toMillis());
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
