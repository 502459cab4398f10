package io.steward.schedule;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pause stops a schedule's runs, resume restarts them, rm removes it; {@code on} fans out as an invoke does. */
class SchedulePauseResumeRemoveTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary")));
        primary.push("tick.groovy", "'tick on ' + node.name");
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    void pauseStopsFiringResumeRestartsItAndRmRemovesIt() {
        Http operator = primary.withRole("operator");
        assertThat(operator.post("/api/v1/schedules", Map.of("name", "every-second", "cron", "* * * * * ?",
                "script", "tick.groovy")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired(operator, "every-second") >= 2);

        Http.Answer paused = operator.post("/api/v1/schedules/every-second/pause", "{}");
        assertThat(paused.json()).containsEntry("paused", true).containsEntry("nextSlot", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"CLAIMED".equals(schedule(operator, "every-second").get("lastOutcome")));
        long firedWhenPaused = fired(operator, "every-second");
        long missedWhenPaused = missed(operator, "every-second");
        Instant pausedAt = Instant.now();
        // Three slots pass while paused: none runs, none counts as missed.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(pausedAt.plusSeconds(3)));
        assertThat(fired(operator, "every-second")).isEqualTo(firedWhenPaused);
        assertThat(missed(operator, "every-second")).isEqualTo(missedWhenPaused);
        assertThat(runsOf("schedule:every-second")).hasSize((int) firedWhenPaused);

        Map<String, Object> resumed = operator.post("/api/v1/schedules/every-second/resume", "{}").json();
        assertThat(resumed).containsEntry("paused", false);
        assertThat(Instant.parse((String) resumed.get("nextSlot"))).isAfter(pausedAt.plusSeconds(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired(operator, "every-second") >= firedWhenPaused + 2);
        assertThat(missed(operator, "every-second")).as("the paused slots are not missed").isEqualTo(missedWhenPaused);

        assertThat(operator.delete("/api/v1/schedules/every-second").json()).containsEntry("removed", true);
        assertThat(operator.get("/api/v1/schedules/every-second").status()).isEqualTo(404);
        assertThat(operator.delete("/api/v1/schedules/every-second").status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> primary.server.coordinator().activeRuns() == 0);
        int runsAtRemoval = runsOf("schedule:every-second").size();
        Instant removedAt = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(removedAt.plusSeconds(2)));
        assertThat(runsOf("schedule:every-second")).as("no run after rm").hasSize(runsAtRemoval);
        assertThat(primary.server.scheduler().armed()).isZero();

        List<?> audit = (List<?>) primary.admin.get("/api/v1/audit?limit=1000").json().get("entries");
        assertThat(audit).extracting(e -> TestPrimary.map(e).get("action"))
                .contains("schedule-add", "schedule-pause", "schedule-resume", "schedule-remove");
    }

    @Test
    void onFansOutToTheSelectedNodesAndNoMatchIsAMissedSlotWithItsReason() {
        assertThat(primary.admin.post("/api/v1/schedules", Map.of("name", "fan", "cron", "* * * * * ?",
                "script", "tick.groovy", "on", "role=primary")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired(primary.admin, "fan") >= 1);
        String parent = (String) schedule(primary.admin, "fan").get("lastRun");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(primary.admin.get("/api/v1/runs/" + parent)
                .json()).containsEntry("state", "SUCCEEDED").containsEntry("invoker", "schedule:fan")
                .containsEntry("result", Map.of("primary-node", "tick on primary-node")));
        primary.admin.delete("/api/v1/schedules/fan");

        assertThat(primary.admin.post("/api/v1/schedules", Map.of("name", "nowhere", "cron", "* * * * * ?",
                "script", "tick.groovy", "on", "web-*")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> missed(primary.admin, "nowhere") >= 1);
        Map<String, Object> nowhere = schedule(primary.admin, "nowhere");
        assertThat(nowhere).containsEntry("fired", 0).containsEntry("lastOutcome", "FAILED");
        assertThat((String) nowhere.get("lastError")).contains("matches no node");
        assertThat(runsOf("schedule:nowhere")).isEmpty();
    }

    private static Map<String, Object> schedule(Http http, String name) {
        Http.Answer a = http.get("/api/v1/schedules/" + name);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
    }

    private static long fired(Http http, String name) {
        return ((Number) schedule(http, name).get("fired")).longValue();
    }

    private static long missed(Http http, String name) {
        return ((Number) schedule(http, name).get("missed")).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> runsOf(String invoker) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) primary.admin.get("/api/v1/runs?limit=1000").json().get("runs");
        return runs.stream().filter(r -> invoker.equals(r.get("invoker")) && r.get("parent") == null).toList();
    }
}
