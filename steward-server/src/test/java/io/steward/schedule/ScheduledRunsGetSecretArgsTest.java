package io.steward.schedule;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.store.RunSecretStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule's secret args reach each slot's run as its secret args: the script sees the value, every answer shows
 * only the name or ***, the database holds it sealed only, and removing the schedule forgets it.
 */
class ScheduledRunsGetSecretArgsTest {
    private static final String SECRET = "hunter2-of-the-schedule";

    @TempDir
    Path dir;

    @Test
    void eachSlotsRunSeesTheSecretAndNobodyElseDoes() throws Exception {
        String lastRun;
        try (TestPrimary primary = new TestPrimary(ServerConfig.defaults(dir)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)))) {
            primary.push("login.groovy", "args.token == '" + SECRET + "' ? 'token ok' : 'wrong token: ' + args.token.length()");
            Http operator = primary.withRole("operator");
            Http.Answer created = operator.post("/api/v1/schedules", Map.of("name", "nightly-login", "cron", "* * * * * ?",
                    "script", "login.groovy", "args", Map.of("user", "ops"), "secretArgs", Map.of("token", SECRET)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).doesNotContain(SECRET);
            assertThat(created.json()).containsEntry("secretArgs", List.of("token"));

            await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) schedule(operator).get("fired")).longValue() >= 1
                    && "STARTED".equals(schedule(operator).get("lastOutcome")));
            lastRun = (String) schedule(operator).get("lastRun");
            await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(operator.get("/api/v1/runs/" + lastRun).json().get("state")));
            Http.Answer run = operator.get("/api/v1/runs/" + lastRun);
            assertThat(run.json()).containsEntry("result", "token ok");
            assertThat(TestPrimary.map(run.json().get("args"))).containsEntry("token", "***").containsEntry("user", "ops");
            for (String path : List.of("/api/v1/runs/" + lastRun, "/api/v1/runs/" + lastRun + "/events",
                    "/api/v1/schedules", "/api/v1/schedules/nightly-login", "/api/v1/audit?limit=1000")) {
                assertThat(operator.get(path).body()).as(path).doesNotContain(SECRET);
            }

            Http.Answer twice = operator.post("/api/v1/schedules", Map.of("name", "twice", "cron", "* * * * * ?",
                    "script", "login.groovy", "args", Map.of("token", "a"), "secretArgs", Map.of("token", "b")));
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.errorMessage()).contains("'token'").contains("give it once");
            assertThat(operator.get("/api/v1/schedules/twice").status()).as("nothing was stored").isEqualTo(404);

            assertThat(operator.delete("/api/v1/schedules/nightly-login").status()).isEqualTo(200);
            assertThat(primary.server.store().secrets().load(RunSecretStore.scheduleKey("nightly-login")))
                    .as("removing the schedule forgets its secret args").isEmpty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as("%s holds the secret in the clear", file)
                        .doesNotContain(SECRET);
            }
        }
    }

    private static Map<String, Object> schedule(Http http) {
        return http.get("/api/v1/schedules/nightly-login").json();
    }
}
