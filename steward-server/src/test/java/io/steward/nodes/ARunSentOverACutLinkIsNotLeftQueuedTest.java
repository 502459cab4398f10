package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
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
 * A child sent to an agent whose link is cut (or that otherwise never shows the run) before the agent acknowledged it
 * is not left QUEUED (found by AgentLinksCutAtRandomDrillTest): it is sent again when the agent rejoins, and one that
 * a live agent never acknowledges ends LOST with the reason within the grace period.
 */
class ARunSentOverACutLinkIsNotLeftQueuedTest {
    private static final Duration GRACE = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary"))
                .withAgents(new ServerConfig.AgentSettings(GRACE, Duration.ofMillis(300), Duration.ofSeconds(1), false)));
        primary.push("hello.groovy", "'hello from ' + node.name");
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "web-1", Map.of("role", "web"), run -> "done on web-1", false);
        agent.join();
    }

    @AfterEach
    void tearDown() {
        agent.close();
        primary.close();
    }

    private String fanOutToTheAgent() {
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-1"));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        await().atMost(SimulatedAgent.patience()).until(() -> !agent.received("run").isEmpty());
        return (String) a.json().get("id");
    }

    private Map<String, Object> run(String id) {
        return primary.admin.get("/api/v1/runs/" + id).json();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> onlyChild(String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) run(parent).get("children");
        assertThat(children).hasSize(1);
        return run((String) children.getFirst().get("id"));
    }

    private String nodeState() {
        return (String) primary.admin.get("/api/v1/nodes/web-1").json().get("state");
    }

    @Test
    void aRunLostOnACutLinkIsSentAgainWhenTheAgentRejoinsAndSucceeds() {
        agent.dropRuns = true; // the run frame goes out, then the link is cut before it arrived
        String parent = fanOutToTheAgent();
        agent.cut();
        await().atMost(SimulatedAgent.patience()).until(() -> nodeState().equals("offline"));
        assertThat(onlyChild(parent)).containsEntry("state", "QUEUED");

        agent.dropRuns = false;
        agent.join(); // within the grace period: nothing is LOST, the primary polls at once after hello
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(run(parent)).containsEntry("state", "SUCCEEDED"));
        assertThat(onlyChild(parent)).containsEntry("state", "SUCCEEDED").containsEntry("result", "done on web-1");
        assertThat(agent.runs).as("the agent ran it once").hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunALiveAgentNeverAcknowledgesEndsLostWithTheReasonWithinTheGrace() {
        agent.dropRuns = true; // the link stays up, and the agent never shows the run
        String parent = fanOutToTheAgent();
        await().atMost(GRACE.plusSeconds(3)).untilAsserted(() -> assertThat(onlyChild(parent)).containsEntry("state", "LOST"));
        Map<String, Object> child = onlyChild(parent);
        assertThat((Map<String, Object>) child.get("error")).extractingByKey("message").asString()
                .contains("the agent web-1 never acknowledged this run").contains("did not start there");
        assertThat(agent.received("run").size()).as("sent again on the same link before giving up").isGreaterThan(1);
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> assertThat(run(parent).get("state")).isNotIn("QUEUED", "RUNNING"));
        assertThat(nodeState()).isEqualTo("online");
    }
}
