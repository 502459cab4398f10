package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent process dies under a run and stays away past the grace period, so the primary marks the run LOST as
 * "not heard of". The agent started again reports the run's real end, LOST because its process restarted
 * (docs/agent-protocol.md, "Buffering on the agent"): the primary records that end, its reason and its final event.
 */
class ARunLostWithItsAgentProcessShowsTheAgentsReasonTest {
    private static final String REASON = "the agent process restarted while the run was running";

    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent web;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(1), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello'");
    }

    @AfterEach
    void tearDown() {
        if (web != null) {
            web.close();
        }
        primary.close();
    }

    @Test
    void theAgentsLostEndReplacesTheGracePeriodsLost() {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web", "role", "agent"))
                .json().get("token");
        web = new SimulatedAgent(primary.server.url(), join, "web-1", Map.of(), run -> "done", true);
        web.join();
        primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-1"));
        await().atMost(SimulatedAgent.patience()).until(() -> web.runs.size() == 1);
        String child = web.runs.keySet().iterator().next();
        web.cut();
        await().atMost(SimulatedAgent.patience()).until(() -> "LOST".equals(run(child).get("state")));
        assertThat(String.valueOf(run(child).get("error"))).doesNotContain(REASON);

        web.join();
        Map<String, Object> error = Map.of("script", "hello.groovy", "line", 0, "message", REASON);
        Map<String, Object> held = web.runs.get(child);
        held.put("state", "LOST");
        held.put("lastSeq", 3L);
        web.send(Map.of("type", "events", "id", child, "events", List.of(Map.of("seq", 3, "kind", "state",
                "time", Instant.now().toString(), "data", Map.of("state", "LOST", "error", error)))));
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("id", child);
        end.put("script", "hello.groovy");
        end.put("version", 1);
        end.put("state", "LOST");
        end.put("args", Map.of());
        end.put("node", "web-1");
        end.put("parent", held.get("parent"));
        end.put("createdAt", Instant.now().toString());
        end.put("endedAt", Instant.now().toString());
        end.put("error", error);
        end.put("lastSeq", 3);
        web.send(Map.of("type", "ended", "run", end));

        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> {
            Map<String, Object> run = run(child);
            assertThat(run).containsEntry("state", "LOST");
            assertThat(((Map<?, ?>) run.get("error")).get("message")).isEqualTo(REASON);
            assertThat(((Number) run.get("lastSeq")).longValue()).isEqualTo(3);
        });
        Map<String, Object> events = primary.admin.get("/api/v1/runs/" + child + "/events").json();
        assertThat(events.get("events")).asList().last().satisfies(e -> assertThat(e.toString()).contains(REASON));
    }

    private Map<String, Object> run(String id) {
        return primary.admin.get("/api/v1/runs/" + id).json();
    }
}
