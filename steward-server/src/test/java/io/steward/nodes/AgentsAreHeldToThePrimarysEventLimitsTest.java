package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Limits;
import io.steward.gateway.Scrape;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
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

/**
 * The primary tells every agent its event limits in the welcome (a real agent's runs keep them: see steward-cli's
 * AgentRunsKeepThePrimarysLimitsTest), and checks agents' events again on arrival: one far over the size limit, from
 * an agent that kept none, is stored as a note of the refusal in its place, the run's sequence stays whole, and the
 * refusal is counted.
 */
class AgentsAreHeldToThePrimarysEventLimitsTest {
    private static final int EVENT_BYTES = 2000;

    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20,
                        new Limits(0, 0, 0, EVENT_BYTES, 300)))
                .withNode("primary-node", Map.of()));
        primary.push("work.groovy", "'never runs here'");
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "web-1", Map.of(), run -> "done", true);
        agent.join();
    }

    @AfterEach
    void tearDown() {
        agent.close();
        primary.close();
    }

    @Test
    void theWelcomeCarriesTheLimits() throws Exception {
        assertThat(agent.welcome.get()).containsEntry("limits", Map.of("eventBytes", EVENT_BYTES, "eventsPerSecond", 300));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOversizedEventFromAnAgentIsStoredAsANote() {
        primary.admin.post("/api/v1/runs", Map.of("script", "work.groovy", "on", "web-1"));
        await().atMost(SimulatedAgent.patience()).until(() -> agent.runs.size() == 1);
        String id = agent.runs.keySet().iterator().next();
        Map<String, Object> run = agent.runs.get(id);
        await().atMost(SimulatedAgent.patience()).until(() -> "RUNNING".equals(primary.admin.get("/api/v1/runs/" + id)
                .json().get("state")));

        String huge = "x".repeat(EVENT_BYTES + (100 << 10));
        agent.send(Map.of("type", "events", "id", id, "events", List.of(
                Map.of("seq", 3, "kind", "status", "time", Instant.now().toString(),
                        "data", Map.of("name", "report", "value", huge)),
                Map.of("seq", 4, "kind", "status", "time", Instant.now().toString(),
                        "data", Map.of("name", "small", "value", "fits")))));
        run.put("lastSeq", 4L);
        agent.finish(id, false);

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + id)
                .json().get("state")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) primary.admin
                .get("/api/v1/runs/" + id + "/events").json().get("events");
        assertThat(events).extracting(e -> ((Number) e.get("seq")).intValue()).containsExactly(1, 2, 3, 4, 5);
        Map<String, Object> refused = TestPrimary.map(events.get(2).get("data"));
        assertThat(refused).containsEntry("limit", "event_bytes").doesNotContainKey("value");
        assertThat(refused.get("refused").toString()).contains("agent web-1", EVENT_BYTES + " bytes", "--max-event-bytes");
        assertThat(TestPrimary.map(events.get(3).get("data"))).containsEntry("value", "fits");
        assertThat(Scrape.of(primary.admin).value("steward_limit_refusals_total", "limit=event_bytes")).isEqualTo(1);
    }
}
