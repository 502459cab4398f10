package io.steward.policy;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A retry chain is each attempt its own run, linked to the first; the chain's next attempt is stored before the
 * failed run is reported ended, so a restart of the primary between attempts loses none and repeats none.
 */
class RetriesSurviveARestartTest {
    /** Fails on attempts 1 and 2, succeeds on 3: the attempt number comes in args.retry. */
    static final String FLAKY = """
            if (args.retry.attempt < 3) {
                throw new RuntimeException('attempt ' + args.retry.attempt + ' of ' + args.retry.attempts + ' fails')
            }
            return 'ok on attempt ' + args.retry.attempt + ' of run chain ' + args.retry.of
            """;

    @TempDir
    Path dir;
    TestPrimary primary;

    @AfterEach
    void stop() {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void threeAttemptsWithARestartAfterTheFirstHappenOnceEachAndAreLinked() {
        primary = new TestPrimary(dir);
        primary.push("flaky.groovy", FLAKY);
        Http.Answer invoked = primary.admin.post("/api/v1/runs", Map.of("script", "flaky.groovy", "args", Map.of("x", 1),
                "retry", Map.of("attempts", 3, "backoff", "2s", "factor", 1)));
        assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
        String first = (String) invoked.json().get("id");
        assertThat(invoked.json().get("retry")).isEqualTo(Map.of("of", first, "attempt", 1, "attempts", 3));

        await().atMost(Duration.ofSeconds(20)).until(() -> Api.state(primary, first).equals("FAILED"));
        // Attempt 2 is due 2 s after attempt 1 ended: stop the primary before then, start a new one on the same data.
        assertThat(Api.runsOf(primary, "flaky.groovy")).hasSize(1);
        primary.close();
        primary = new TestPrimary(dir);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(primary.admin.get("/api/v1/runs/" + first + "/retries").json().get("state")));
        Map<String, Object> chain = primary.admin.get("/api/v1/runs/" + first + "/retries").json();
        List<Map<String, Object>> attempts = Api.list(primary.admin.get("/api/v1/runs/" + first + "/retries"), "runs");
        assertThat(chain).containsEntry("of", first).containsEntry("attempts", 3);
        assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(a -> a.get("state")).containsExactly("FAILED", "FAILED", "SUCCEEDED");
        assertThat(attempts.get(0).get("id")).isEqualTo(first);

        // Exactly three runs of the script exist: nothing ran twice across the restart.
        List<Map<String, Object>> runs = Api.runsOf(primary, "flaky.groovy");
        assertThat(runs).hasSize(3);
        for (int n = 2; n <= 3; n++) {
            String id = (String) attempts.get(n - 1).get("id");
            Map<String, Object> run = Api.run(primary, id);
            assertThat(run.get("retry")).isEqualTo(Map.of("of", first, "attempt", n, "attempts", 3));
            assertThat(TestPrimary.map(run.get("args"))).containsEntry("x", 1);
            // The later attempt started no sooner than its backoff after the one before it ended.
            String before = (String) Api.run(primary, (String) attempts.get(n - 2).get("id")).get("endedAt");
            assertThat(Duration.between(java.time.Instant.parse(before), java.time.Instant.parse((String) run.get("createdAt"))))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
        assertThat(Api.run(primary, (String) attempts.get(2).get("id")).get("result"))
                .isEqualTo("ok on attempt 3 of run chain " + first);
        // Asked of a later attempt, the chain is the same one.
        assertThat(primary.admin.get("/api/v1/runs/" + attempts.get(2).get("id") + "/retries").json().get("of")).isEqualTo(first);
    }

    @Test
    void anAttemptCutShortByAStopOfThePrimaryIsFollowedByTheNextAfterTheRestart() {
        primary = new TestPrimary(dir);
        primary.push("slow.groovy", """
                if (args.retry.attempt == 1) { throw new RuntimeException('first fails') }
                if (args.retry.attempt == 2) { sleep(60_000) }
                'done on ' + args.retry.attempt
                """);
        String first = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy",
                "retry", Map.of("attempts", 3, "backoff", "10ms"))).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Map<String, Object>> runs = Api.list(primary.admin.get("/api/v1/runs/" + first + "/retries"), "runs");
            return runs.size() == 2 && "RUNNING".equals(runs.get(1).get("state"));
        });
        // The stop cancels attempt 2; as the shutdown's doing, that counts as LOST: attempt 3 follows after the restart.
        primary.close();
        primary = new TestPrimary(dir);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(primary.admin.get("/api/v1/runs/" + first + "/retries").json().get("state")));
        List<Map<String, Object>> attempts = Api.list(primary.admin.get("/api/v1/runs/" + first + "/retries"), "runs");
        assertThat(attempts).extracting(a -> a.get("state")).containsExactly("FAILED", "CANCELLED", "SUCCEEDED");
        assertThat(Api.runsOf(primary, "slow.groovy")).hasSize(3);
    }

    @Test
    void waitAnswersWhenTheLastAttemptHasEndedWithThatAttempt() {
        primary = new TestPrimary(dir);
        primary.push("flaky.groovy", FLAKY);
        Http.Answer answer = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "flaky.groovy",
                "retry", Map.of("attempts", 3, "backoff", "100ms", "factor", 2, "maxBackoff", "150ms")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        Map<String, Object> last = answer.json();
        String first = answer.headers().firstValue("Location").orElseThrow().replace("/api/v1/runs/", "");
        assertThat(last).containsEntry("state", "SUCCEEDED");
        assertThat(last.get("retry")).isEqualTo(Map.of("of", first, "attempt", 3, "attempts", 3));
        assertThat(last.get("id")).isNotEqualTo(first);
    }

    @Test
    void aChainThatUsesUpItsAttemptsEndsWithTheLastFailureAndASuccessEndsItAtOnce() {
        primary = new TestPrimary(dir);
        primary.push("always.groovy", "throw new RuntimeException('no')");
        primary.push("fine.groovy", "'fine'");
        Map<String, Object> failed = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "always.groovy",
                "retry", Map.of("attempts", 2, "backoff", 0))).json();
        assertThat(failed).containsEntry("state", "FAILED");
        assertThat(TestPrimary.map(failed.get("retry"))).containsEntry("attempt", 2);
        assertThat(Api.runsOf(primary, "always.groovy")).hasSize(2);

        Map<String, Object> fine = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "fine.groovy",
                "retry", Map.of("attempts", 5))).json();
        assertThat(fine).containsEntry("state", "SUCCEEDED");
        assertThat(TestPrimary.map(fine.get("retry"))).containsEntry("attempt", 1);
        assertThat(Api.runsOf(primary, "fine.groovy")).hasSize(1);
    }

    /**
     * A failing run ends on a thread its own stop has interrupted; recording the next attempt there would catch
     * H2 in its file I/O, which closes the whole database (it did, before the record moved to a thread of its own).
     */
    @Test
    void manyFailingAttemptsInARowLeaveTheStoreWorking() {
        primary = new TestPrimary(dir);
        primary.push("always.groovy", "spawn { sleep(50) }; throw new RuntimeException('no')");
        for (int i = 0; i < 10; i++) {
            Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "always.groovy",
                    "retry", Map.of("attempts", 3, "backoff", 0)));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            assertThat(a.json()).containsEntry("state", "FAILED");
            assertThat(TestPrimary.map(a.json().get("retry"))).containsEntry("attempt", 3);
        }
        assertThat(Api.runsOf(primary, "always.groovy")).hasSize(30);
        primary.push("after.groovy", "'still fine'");
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "after.groovy")).json())
                .containsEntry("state", "SUCCEEDED");
    }

    @Test
    void theScriptsPolicyGivesRetriesToInvokesThatNameNoneAndAttemptsOneTurnsThemOff() {
        primary = new TestPrimary(dir);
        primary.push("flaky.groovy", FLAKY);
        Http.Answer set = Api.put(primary.admin, "/api/v1/scripts/flaky.groovy/policy",
                Map.of("retry", Map.of("attempts", 3, "backoff", "50ms")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "flaky.groovy")).json())
                .containsEntry("state", "SUCCEEDED");
        Map<String, Object> once = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "flaky.groovy",
                "args", Map.of("retry", Map.of("attempt", 1)), "retry", Map.of("attempts", 1))).json();
        assertThat(once).containsEntry("state", "FAILED").doesNotContainKey("retry");
    }
}
