package io.steward.gateway;

import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each limit on what a client controls, exceeded on a real primary: the status and JSON error naming the limit,
 * nothing changed, and the refusal counted in /metrics.
 */
class LimitsAreAnsweredAndCountedTest {
    private static final long MAX_BODY = 64 * 1024;
    private static final Limits LIMITS = new Limits(1000, 500, 2, 2000, 0);

    @TempDir
    Path dir;
    TestPrimary primary;
    final List<InputStream> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir)
                .withGateway(new GatewayConfig("127.0.0.1", 0, MAX_BODY, LIMITS)));
        primary.push("ok.groovy", "'fine'");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (InputStream stream : open) {
            stream.close();
        }
        primary.close();
    }

    @Test
    void aBodyOverMaxBodyIs413AndStartsNothing() {
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy", "args",
                Map.of("blob", "x".repeat((int) MAX_BODY + 10))));
        assertRefused(a, 413, "payload_too_large", "request_bytes", MAX_BODY, "--max-body");
        assertThat(runs()).isEmpty();
        assertThat(refusals("request_bytes")).isEqualTo(1);
    }

    @Test
    void aScriptOverTheLimitIs413AndIsNotStored() {
        Http.Answer a = primary.admin.post("/api/v1/scripts", Map.of("name", "big.groovy",
                "source", "// " + "é".repeat(600)));
        assertRefused(a, 413, "script_too_large", "script_bytes", 1000, "--max-script-bytes");
        assertThat(a.errorMessage()).contains("'big.groovy'", "1203 bytes");
        assertThat(primary.admin.get("/api/v1/scripts/big.groovy").status()).isEqualTo(404);
        assertThat(refusals("script_bytes")).isEqualTo(1);
        // At the limit is fine.
        assertThat(primary.admin.post("/api/v1/scripts", Map.of("name", "edge.groovy", "source", "x".repeat(1000)))
                .status()).isEqualTo(201);
    }

    @Test
    void argsOverTheLimitAre413AndNoRunExists() {
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "ok.groovy", "args",
                Map.of("hosts", List.of("x".repeat(300), "y".repeat(300)))));
        assertRefused(a, 413, "args_too_large", "args_bytes", 500, "--max-args-bytes");
        assertThat(runs()).isEmpty();
        assertThat(refusals("args_bytes")).isEqualTo(1);
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy", "args",
                Map.of("hosts", List.of("x".repeat(100))))).json()).containsEntry("state", "SUCCEEDED");
    }

    @Test
    void anEventOverTheLimitFailsTheScriptsCallAndPublishesNothing() {
        primary.push("big-status.groovy", "status.set('report', 'x' * 5000)");
        Map<String, Object> failed = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "big-status.groovy")).json();
        assertThat(failed).containsEntry("state", "FAILED");
        assertThat(TestPrimary.map(failed.get("error")).get("message").toString())
                .contains("status value 'report' is 5002 bytes as JSON", "limit for one event is 2000 bytes",
                        "--max-event-bytes");
        assertThat(statusValues(failed)).isEmpty();
        assertThat(eventKinds((String) failed.get("id"))).doesNotContain("status");

        // The script can catch the refusal and go on: nothing of the refused value was published.
        primary.push("careful.groovy", """
                try { log.info('y' * 3000) } catch (IllegalArgumentException e) { status.set('refused', e.message) }
                'went on'""");
        Map<String, Object> careful = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "careful.groovy")).json();
        assertThat(careful).containsEntry("state", "SUCCEEDED").containsEntry("result", "went on");
        assertThat(statusValues(careful).get("refused").toString()).contains("the log message is 3002 bytes");
        assertThat(eventKinds((String) careful.get("id"))).doesNotContain("log");
        assertThat(refusals("event_bytes")).isEqualTo(2);
    }

    @Test
    void aTokenOverItsOpenStreamsIs429AndOtherTokensStillStream() throws Exception {
        Http viewer = primary.withRole("viewer");
        assertThat(openStream(viewer, "/api/v1/changes").statusCode()).isEqualTo(200);
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy")).json().get("id");
        primary.push("holds.groovy", "inbox.take(60000)");
        String live = (String) primary.admin.post("/api/v1/runs", Map.of("script", "holds.groovy")).json().get("id");
        assertThat(openStream(viewer, "/api/v1/runs/" + live + "/events").statusCode()).isEqualTo(200);

        Http.Answer third = viewer.send(viewer.request("/api/v1/runs/" + id + "/events")
                .header("Accept", "text/event-stream").GET());
        assertRefused(third, 429, "too_many_streams", "streams_per_token", 2, "--max-streams-per-token");
        assertThat(third.errorMessage()).contains("'" + tokenName(viewer) + "'");
        assertThat(viewer.send(viewer.request("/api/v1/changes").GET()).status()).isEqualTo(429);
        assertThat(refusals("streams_per_token")).isEqualTo(2);

        // Per token: another token's stream opens, and an ended run's stream runs to its end.
        Http.Answer other = primary.admin.send(primary.admin.request("/api/v1/runs/" + id + "/events")
                .header("Accept", "text/event-stream").GET());
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).contains("SUCCEEDED");
        primary.admin.post("/api/v1/runs/" + live + "/messages", Map.of("message", "go"));
    }

    private HttpResponse<InputStream> openStream(Http client, String path) throws Exception {
        HttpResponse<InputStream> r = client.client().send(client.request(path).header("Accept", "text/event-stream")
                .timeout(java.time.Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        open.add(r.body());
        return r;
    }

    private String tokenName(Http client) {
        return (String) client.get("/api/v1/whoami").json().get("name");
    }

    private static void assertRefused(Http.Answer a, int status, String code, String limit, long max, String option) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.errorCode()).isEqualTo(code);
        assertThat(a.errorMessage()).contains(Long.toString(max), option);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) TestPrimary.map(a.json().get("error")).get("details");
        assertThat(details).containsEntry("limit", limit).containsEntry("max", (int) max);
        assertThat(((Number) details.get("actual")).longValue()).isGreaterThan(max);
        assertThat(a.body()).doesNotContain("at io.steward", "Exception:", "\tat ");
    }

    private List<Object> runs() {
        @SuppressWarnings("unchecked")
        List<Object> runs = (List<Object>) primary.admin.get("/api/v1/runs").json().get("runs");
        return runs;
    }

    @SuppressWarnings("unchecked")
    private List<Object> eventKinds(String run) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) primary.admin.get("/api/v1/runs/" + run + "/events")
                .json().get("events");
        return events.stream().map(e -> e.get("kind")).toList();
    }

    private static Map<String, Object> statusValues(Map<String, Object> run) {
        return TestPrimary.map(TestPrimary.map(run.get("status")).get("values"));
    }

    private double refusals(String limit) {
        return Scrape.of(primary.admin).value("steward_limit_refusals_total", "limit=" + limit);
    }
}
