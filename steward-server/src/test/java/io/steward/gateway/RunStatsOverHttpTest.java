package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/stats/runs} on a real primary with real runs: totals and buckets count the runs as they ended,
 * per-script success rates and recent runs are right, a script-scoped token sees its scripts only, bad parameters are
 * 400s naming the fix, and every answer matches the OpenAPI document.
 */
class RunStatsOverHttpTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    Map<String, Object> document;
    SchemaCheck check;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
        document = primary.admin.get("/api/v1/openapi.json").json();
        check = new SchemaCheck(document);
        primary.push("ok.groovy", "'fine'");
        primary.push("ops/bad.groovy", "throw new RuntimeException('no')");
        primary.push("ops/waits.groovy", "inbox.take(60000)");
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    private String run(String script) {
        Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", script));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return (String) a.json().get("id");
    }

    private Map<String, Object> stats(Http client, String query) {
        Http.Answer a = client.get("/api/v1/stats/runs" + query);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Map<String, Object> response = TestPrimary.map(TestPrimary.map(TestPrimary.map(TestPrimary.map(
                TestPrimary.map(document.get("paths")).get("/api/v1/stats/runs")).get("get")).get("responses")).get("200"));
        Map<String, Object> schema = TestPrimary.map(TestPrimary.map(TestPrimary.map(response.get("content"))
                .get("application/json")).get("schema"));
        assertThat(check.problems(a.json(), schema)).as(a.body()).isEmpty();
        return a.json();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String field) {
        return (List<Map<String, Object>>) json.get(field);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @Test
    void totalsBucketsAndScriptsCountTheRunsAsTheyEnded() {
        for (int i = 0; i < 3; i++) {
            run("ok.groovy");
        }
        run("ops/bad.groovy");
        run("ops/bad.groovy");
        String waiting = (String) primary.admin.post("/api/v1/runs", Map.of("script", "ops/waits.groovy")).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(primary.admin.get("/api/v1/runs/" + waiting).json().get("state")));
        assertThat(primary.admin.post("/api/v1/runs/" + waiting + "/cancel", Map.of()).status()).isEqualTo(200);

        Http viewer = primary.withRole("viewer");
        await().atMost(Duration.ofSeconds(20)).until(() -> number(TestPrimary.map(stats(viewer, "").get("totals")).get("CANCELLED")) == 1);
        Map<String, Object> all = stats(viewer, "?since=24h&bucket=hour&recent=2");
        assertThat(TestPrimary.map(all.get("totals"))).containsEntry("SUCCEEDED", 3).containsEntry("FAILED", 2)
                .containsEntry("CANCELLED", 1).containsEntry("TIMED_OUT", 0).containsEntry("LOST", 0);
        List<Map<String, Object>> buckets = list(all, "buckets");
        assertThat(buckets).hasSizeBetween(24, 25);
        assertThat(buckets.stream().mapToLong(b -> number(b.get("total"))).sum()).isEqualTo(6);
        Map<String, Object> last = buckets.getLast();
        assertThat(number(last.get("total"))).as("this hour holds every run").isEqualTo(6);
        assertThat(last.get("p50Ms")).isNotNull();
        assertThat(number(last.get("p95Ms"))).isGreaterThanOrEqualTo(number(last.get("p50Ms")));

        List<Map<String, Object>> scripts = list(all, "scripts");
        assertThat(scripts).extracting(s -> s.get("script")).containsExactly("ok.groovy", "ops/bad.groovy", "ops/waits.groovy");
        assertThat(scripts.get(0).get("successRate")).isEqualTo(1.0);
        assertThat(scripts.get(1).get("successRate")).isEqualTo(0.0);
        assertThat(list(scripts.get(0), "recent")).hasSize(2).allSatisfy(r -> assertThat(r.get("state")).isEqualTo("SUCCEEDED"));
        assertThat(list(scripts.get(2), "recent")).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo(waiting);
            assertThat(r.get("state")).isEqualTo("CANCELLED");
        });

        Map<String, Object> days = stats(viewer, "?bucket=day&script=ops/bad.groovy");
        assertThat(days.get("bucket")).isEqualTo("day");
        assertThat(list(days, "buckets")).hasSizeBetween(30, 31);
        assertThat(TestPrimary.map(days.get("totals"))).containsEntry("FAILED", 2).containsEntry("SUCCEEDED", 0);
        assertThat(list(days, "scripts")).extracting(s -> s.get("script")).containsExactly("ops/bad.groovy");
    }

    @Test
    void aScriptScopedTokenSeesItsScriptsOnly() {
        run("ok.groovy");
        run("ops/bad.groovy");
        Http.Answer created = primary.admin.post("/api/v1/tokens", Map.of("name", "ops-viewer", "role", "viewer", "scripts", "ops/*"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http ops = primary.admin.as((String) created.json().get("token"));

        await().atMost(Duration.ofSeconds(20)).until(() -> number(TestPrimary.map(stats(primary.admin, "").get("totals")).get("FAILED")) == 1
                && number(TestPrimary.map(stats(primary.admin, "").get("totals")).get("SUCCEEDED")) == 1);
        Map<String, Object> seen = stats(ops, "");
        assertThat(TestPrimary.map(seen.get("totals"))).containsEntry("FAILED", 1).containsEntry("SUCCEEDED", 0);
        assertThat(list(seen, "scripts")).extracting(s -> s.get("script")).containsExactly("ops/bad.groovy");

        Http.Answer refused = ops.get("/api/v1/stats/runs?script=ok.groovy");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorMessage()).contains("ops-viewer", "ops/*", "ok.groovy");
    }

    @Test
    void badParametersAreRefusedNamingTheFix() {
        Map<String, String> cases = Map.of(
                "?bucket=minute", "bucket must be hour or day",
                "?since=yesterday", "since must be an ISO-8601 instant",
                "?since=2026-13-01T00:00:00Z", "since must be an ISO-8601 instant",
                "?since=9000h", "bucket=day",
                "?recent=500", "recent must be a whole number from 0 to 100",
                "?script=", "script must name a script");
        cases.forEach((query, message) -> {
            Http.Answer a = primary.admin.get("/api/v1/stats/runs" + query);
            assertThat(a.status()).as(query + ": " + a.body()).isEqualTo(400);
            assertThat(a.errorMessage()).as(query).contains(message);
        });
        assertThat(new Http(primary.server.url(), null).get("/api/v1/stats/runs").status()).isEqualTo(401);
    }
}
