package io.steward.drills;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import io.steward.store.Store;
import io.steward.store.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancel racing completion (JobRunr's state-change race tests): 1,000 runs of 200 ms on the primary, each cancelled
 * at a random moment from 120 to 280 ms after it was accepted, so that many cancels arrive just as the run ends on its
 * own. Each run must end exactly once, SUCCEEDED or CANCELLED: one final {@code state} event, the API's answer and the
 * store agreeing; a cancel answered 409 (the run had ended) must find it SUCCEEDED.
 */
@Tag(Drills.TAG)
class CancelRacesCompletionTest {
    private static final long SEED = 14_1000L;

    @TempDir
    Path dir;

    @Test
    void aThousandCancelsRacingCompletionEachEndInExactlyOneLegalState() throws Exception {
        int runs = 1000;
        Map<String, String> cancelAnswer = new ConcurrentHashMap<>();
        Invariants invariants = new Invariants();
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of(), Map.of())) {
            StewardClient admin = primary.admin();
            admin.pushScript("quick.groovy", "sleep(200); 'done'");
            List<Future<String>> ids = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(40, Thread.ofVirtual().factory())) {
                for (int i = 0; i < runs; i++) {
                    long delay = 120 + new SplittableRandom(SEED + i).nextLong(161);
                    ids.add(pool.submit(() -> {
                        String id = (String) admin.invoke("quick.groovy", Map.of()).get("id");
                        Thread.sleep(delay); // the race itself: the cancel is timed to meet the run's own end
                        try {
                            admin.cancel(id);
                            cancelAnswer.put(id, "200");
                        } catch (StewardApiException e) {
                            cancelAnswer.put(id, e.status() + " " + e.code());
                        }
                        return id;
                    }));
                }
            }
            List<String> accepted = new ArrayList<>();
            for (Future<String> f : ids) {
                accepted.add(f.get());
            }
            invariants.checkThroughApi(admin, accepted, Duration.ofMinutes(2));
            for (String id : accepted) {
                String state = invariants.states.get(id);
                assertThat(state).as("run %s (seed %d), cancel answered %s", id, SEED, cancelAnswer.get(id))
                        .isIn("SUCCEEDED", "CANCELLED");
                assertThat(cancelAnswer.get(id)).as("cancel of run %s (seed %d)", id, SEED).isIn("200", "409 conflict");
                if (cancelAnswer.get(id).startsWith("409")) {
                    assertThat(state).as("run %s: the cancel found it ended (seed %d)", id, SEED).isEqualTo("SUCCEEDED");
                }
                assertThat(invariants.finalStateEvents.get(id)).as("final state events of run %s (seed %d)", id, SEED)
                        .isEqualTo(1L);
            }
            Drills.figure("cancel racing completion", "runs", runs);
            Drills.figure("cancel racing completion", "ended by state", invariants.byState());
            primary.stop();
            try (Store store = Store.open(StoreConfig.embedded(primary.data))) {
                invariants.checkStore(store);
            }
        }
    }
}
