package io.steward.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two primaries on one PostgreSQL database, an agent linked to the second only. An invoke on that agent made to the
 * first (as a load balancer may send it) is handed to the second, which runs it; the caller gets the second's answer,
 * which says so. A selector that matches no agent anywhere is still the first primary's plain 400.
 */
class AnInvokeOnAnAgentOfAnotherPrimaryIsHandedToItTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primary(FailoverFixture db, String name) throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve(name))
                .withDatabase(db.dbUrl(), FailoverFixture.USER, FailoverFixture.PASSWORD)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode(name, Map.of()));
        cleanup.add(server);
        return server;
    }

    @Test
    void theFirstPrimaryHandsTheInvokeToTheOneHoldingTheAgentsLink() throws Exception {
        FailoverFixture db = new FailoverFixture();
        cleanup.add(db);
        StewardServer a = primary(db, "primary-a");
        Files.createDirectories(dir.resolve("primary-b"));
        Files.copy(dir.resolve("primary-a/secret.key"), dir.resolve("primary-b/secret.key"));
        StewardServer b = primary(db, "primary-b");
        StewardClient adminA = StewardClient.connect(a.url(), a.adminToken());
        cleanup.add(adminA);
        StewardClient adminB = StewardClient.connect(b.url(), b.adminToken());
        cleanup.add(adminB);
        String join = (String) adminB.createToken("join-fw", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(List.of(b.url()), join).withName("fw-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);
        // The first primary learns of the link from the second's beat in the shared database.
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(adminA.cluster()).contains("fw-1"));
        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);

        Map<String, Object> ran = adminA.invoke("steps.groovy", null, Map.of("steps", 2, "pause", 10), null,
                Duration.ofSeconds(60), Map.of("on", "fw-1"));
        assertThat(ran.get("state")).as("%s", ran).isEqualTo("SUCCEEDED");
        assertThat(ran.get("result")).isEqualTo(Map.of("fw-1", "all 2 steps on fw-1"));
        String bId = Files.readString(dir.resolve("primary-b/primary.id")).strip();
        assertThat(db.primaryOf((String) ran.get("id"))).as("the run belongs to the primary that ran it").isEqualTo(bId);

        // The raw answer, as curl would see it: the second primary's, with its Location, naming where it ran.
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(a.url() + "/api/v1/runs?wait=60s"))
                .header("Authorization", "Bearer " + a.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"script\":\"steps.groovy\",\"args\":{\"steps\":1,\"pause\":1},\"on\":\"fw-*\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(201);
        assertThat(raw.headers().firstValue("X-Steward-Primary")).contains(bId);
        assertThat(raw.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/runs/"));
        assertThat(raw.body()).contains("\"SUCCEEDED\"", "all 1 steps on fw-1");

        // Nobody has it: the first primary's own answer, unchanged.
        HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(a.url() + "/api/v1/runs"))
                .header("Authorization", "Bearer " + a.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"script\":\"steps.groovy\",\"on\":\"nowhere-9\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).as(none.body()).isEqualTo(400);
        assertThat(none.body()).contains("matches no node");
        assertThat(none.headers().firstValue("X-Steward-Primary")).isEmpty();
    }
}
