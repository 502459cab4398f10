package io.steward.policy;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A script's maxConcurrent: over it, runs wait QUEUED in order (queue) or the invoke is refused (reject). */
class ConcurrencyLimitTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
        primary.push("slow.groovy", "sleep(args.ms ?: 400); return args.n");
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    @Test
    void withQueueThreeInvokesRunOneAfterAnotherInOrderAndAllSucceed() {
        Http.Answer set = Api.put(primary.admin, "/api/v1/scripts/slow.groovy/policy", Map.of("maxConcurrent", 1, "whenBusy", "queue"));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json()).containsEntry("maxConcurrent", 1).containsEntry("whenBusy", "queue");

        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy", "args", Map.of("n", n)));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            ids.add((String) a.json().get("id"));
        }
        // The second and third wait for the first's slot.
        assertThat(Api.state(primary, ids.get(1))).isEqualTo("QUEUED");
        assertThat(Api.state(primary, ids.get(2))).isEqualTo("QUEUED");
        Map<String, Object> policy = primary.admin.get("/api/v1/scripts/slow.groovy/policy").json();
        assertThat(policy).containsEntry("running", 1).containsEntry("queued", 2);

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> Api.state(primary, id).equals("SUCCEEDED")));
        List<Instant[]> spans = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            Map<String, Object> run = Api.run(primary, ids.get(n));
            assertThat(run.get("result")).isEqualTo(n + 1);
            spans.add(new Instant[]{Instant.parse((String) run.get("startedAt")), Instant.parse((String) run.get("endedAt"))});
        }
        // Never two at once, and first come first served.
        for (int n = 1; n < 3; n++) {
            assertThat(spans.get(n)[0]).as("run %d starts after run %d ended", n + 1, n).isAfterOrEqualTo(spans.get(n - 1)[1]);
        }
        assertThat(primary.admin.get("/api/v1/scripts/slow.groovy/policy").json()).containsEntry("running", 0)
                .containsEntry("queued", 0);
    }

    @Test
    void withRejectTheSecondInvokeIsRefusedWhileTheFirstRunsAndNoRunIsMade() {
        assertThat(Api.put(primary.admin, "/api/v1/scripts/slow.groovy/policy",
                Map.of("maxConcurrent", 1, "whenBusy", "reject")).status()).isEqualTo(200);
        String first = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("ms", 30_000))).json().get("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.state(primary, first).equals("RUNNING"));

        Http.Answer second = primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy", "args", Map.of("n", 2)));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.errorCode()).isEqualTo("script_busy");
        assertThat(second.errorMessage()).contains("slow.groovy").contains("limit of 1 concurrent run").contains("(1 running)");
        assertThat(Api.runsOf(primary, "slow.groovy")).hasSize(1);

        assertThat(primary.admin.post("/api/v1/runs/" + first + "/cancel", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> Api.state(primary, first).equals("CANCELLED"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy", "args", Map.of("ms", 1))).status() == 201);
    }

    @Test
    void aQueuedRunCancelledEndsAtOnceAndTheQueueMovesOnWithoutIt() {
        Api.put(primary.admin, "/api/v1/scripts/slow.groovy/policy", Map.of("maxConcurrent", 1));
        String first = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("ms", 800, "n", 1))).json().get("id");
        String second = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("n", 2))).json().get("id");
        String third = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("n", 3))).json().get("id");
        assertThat(primary.admin.post("/api/v1/runs/" + second + "/cancel", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> Api.state(primary, second).equals("CANCELLED"));
        assertThat(Api.run(primary, second).get("startedAt")).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.state(primary, third).equals("SUCCEEDED"));
        assertThat(Api.state(primary, first)).isEqualTo("SUCCEEDED");
    }

    @Test
    void clearingTheLimitStartsTheQueuedRuns() {
        Api.put(primary.admin, "/api/v1/scripts/slow.groovy/policy", Map.of("maxConcurrent", 1));
        String first = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("ms", 20_000))).json().get("id");
        String second = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "args", Map.of("ms", 1, "n", 2))).json().get("id");
        assertThat(Api.state(primary, second)).isEqualTo("QUEUED");
        Http.Answer cleared = primary.admin.delete("/api/v1/scripts/slow.groovy/policy");
        assertThat(cleared.json()).containsEntry("cleared", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.state(primary, second).equals("SUCCEEDED"));
        assertThat(Api.state(primary, first)).isEqualTo("RUNNING");
    }
}
