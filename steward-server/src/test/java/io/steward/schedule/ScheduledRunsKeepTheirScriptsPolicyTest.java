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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A scheduled run is invoked through the script's policy, as an API invoke is: its retries apply. */
class ScheduledRunsKeepTheirScriptsPolicyTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailingScheduledRunIsRetriedByItsScriptsPolicy() {
        primary.push("flaky.groovy", "if ((args.retry?.attempt ?: 1) < 2) throw new IllegalStateException('first try'); 'second try'");
        Http.Answer policy = primary.admin.send(primary.admin.request("/api/v1/scripts/flaky.groovy/policy")
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"retry\": {\"attempts\": 2, \"backoff\": \"1s\"}}")));
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);
        assertThat(primary.admin.post("/api/v1/schedules", Map.of("name", "flaky-every-2s", "cron", "*/2 * * * * ?",
                "script", "flaky.groovy")).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream().anyMatch(r ->
                "SUCCEEDED".equals(r.get("state")) && r.get("retry") instanceof Map<?, ?> retry
                        && Integer.valueOf(2).equals(retry.get("attempt"))));
        Map<String, Object> second = runs().stream().filter(r -> "SUCCEEDED".equals(r.get("state"))
                && r.get("retry") instanceof Map<?, ?> retry && Integer.valueOf(2).equals(retry.get("attempt"))).findFirst().orElseThrow();
        String first = (String) ((Map<String, Object>) second.get("retry")).get("of");
        Map<String, Object> firstRun = primary.admin.get("/api/v1/runs/" + first).json();
        assertThat(firstRun).containsEntry("state", "FAILED").containsEntry("invoker", "schedule:flaky-every-2s");
        assertThat(second).containsEntry("result", "second try");
        primary.admin.delete("/api/v1/schedules/flaky-every-2s");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> runs() {
        return (List<Map<String, Object>>) primary.admin.get("/api/v1/runs?limit=1000").json().get("runs");
    }
}
