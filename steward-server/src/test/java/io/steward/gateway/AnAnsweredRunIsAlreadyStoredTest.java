package io.steward.gateway;

import io.steward.coordinator.RunState;
import io.steward.server.ServerConfig;
import io.steward.store.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every run an invoke answers for is in the store when the answer arrives, so a crash right after cannot take it
 * back: without {@code ?wait=} its record (the run is admitted before it starts), with {@code ?wait=} its record and
 * its end (in the write-ahead log before the answer, and committed before any read of the store: see
 * AnsweredRunsSurviveACrashTest for the crash). Read from the store, not through the API, which also serves
 * runs from memory.
 */
class AnAnsweredRunIsAlreadyStoredTest {
    @TempDir
    Path dir;

    @Test
    void theStoreHasEveryAnsweredRunAndEveryEndAnsweredWithWait() {
        try (TestPrimary primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)))) {
            primary.push("quick.groovy", "status.set('n', args.n); args.n + 1");
            primary.push("slow.groovy", "sleep(5000); 'late'");
            for (int i = 0; i < 50; i++) {
                Http.Answer waited = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "quick.groovy", "args", Map.of("n", i)));
                assertThat(waited.status()).as(waited.body()).isEqualTo(201);
                String id = (String) waited.json().get("id");
                RunRecord stored = primary.server.store().runs().get(id).orElseThrow(() -> new AssertionError("run " + id + " answered but not stored"));
                assertThat(stored.state()).as("the stored state of %s", id).isEqualTo(RunState.SUCCEEDED);
                assertThat(primary.server.store().events().page(id, 0, 100)).as("events of %s", id)
                        .hasSize(((Number) waited.json().get("lastSeq")).intValue());
            }
            for (int i = 0; i < 10; i++) {
                Http.Answer started = primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy"));
                assertThat(started.status()).as(started.body()).isEqualTo(201);
                String id = (String) started.json().get("id");
                assertThat(primary.server.store().runs().get(id)).as("run %s answered 201", id).isPresent();
            }
        }
    }
}
