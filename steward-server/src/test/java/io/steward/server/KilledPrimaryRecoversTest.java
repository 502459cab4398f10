package io.steward.server;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the primary during 50 running runs: after a restart every run has ended or is LOST, the database
 * opens cleanly, and no script push or event that a client was shown before the kill is missing.
 */
class KilledPrimaryRecoversTest {
    @TempDir
    Path data;
    Process child;

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void everyRunEndsOrIsLostAndNothingShownIsMissing() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TestServerMain.class.getName(),
                data.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String url = null;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("URL ")) {
                url = line.substring(4);
                break;
            }
        }
        assertThat(url).as("the child primary printed its URL").isNotNull();
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
        Http admin = new Http(url, Files.readString(data.resolve("admin.token")).strip());

        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "lib/s" + i + ".groovy";
            assertThat(admin.post("/api/v1/scripts", Map.of("name", name, "source", "// " + i + "\n" + i)).status()).isEqualTo(201);
            pushed.add(name);
        }
        admin.post("/api/v1/scripts", Map.of("name", "hold.groovy",
                "source", "(1..20).each { status.set('step', it) }; shared.put('ready', true); sleep(600_000)"));
        admin.post("/api/v1/scripts", Map.of("name", "quick.groovy", "source", "status.set('x', 1); 'quick'"));
        List<String> holding = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            holding.add((String) admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id"));
        }
        String quick = (String) admin.post("/api/v1/runs?wait=30s", Map.of("script", "quick.groovy")).json().get("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> holding.stream().allMatch(id ->
                Boolean.TRUE.equals(((Map<?, ?>) admin.get("/api/v1/runs/" + id).json().get("shared")).get("ready"))));

        // What clients were shown: each run's events as served by the API.
        Map<String, Integer> shown = new HashMap<>();
        for (String id : holding) {
            shown.put(id, ((List<?>) admin.get("/api/v1/runs/" + id + "/events?limit=10000").json().get("events")).size());
        }
        shown.put(quick, ((List<?>) admin.get("/api/v1/runs/" + quick + "/events?limit=10000").json().get("events")).size());

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        try (StewardServer again = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY)))) {
            assertThat(again.lostAtStart()).isEqualTo(50);
            Http after = new Http(again.url(), again.adminToken());
            for (String name : pushed) {
                assertThat(after.get("/api/v1/scripts/" + name).status()).as(name).isEqualTo(200);
            }
            for (String id : holding) {
                Map<String, Object> run = after.get("/api/v1/runs/" + id).json();
                assertThat(run.get("state")).as(id).isEqualTo("LOST");
                assertThat(((Map<?, ?>) run.get("error")).get("message").toString()).contains("primary stopped");
                int events = ((List<?>) after.get("/api/v1/runs/" + id + "/events?limit=10000").json().get("events")).size();
                assertThat(events).as("events of %s", id).isGreaterThanOrEqualTo(shown.get(id));
            }
            Map<String, Object> quickRun = after.get("/api/v1/runs/" + quick).json();
            assertThat(quickRun).containsEntry("state", "SUCCEEDED").containsEntry("result", "quick");
            assertThat(((List<?>) after.get("/api/v1/runs/" + quick + "/events?limit=10000").json().get("events")))
                    .hasSize(shown.get(quick));
        }
    }
}
