package io.steward.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.gateway.TestPrimary;
import io.steward.testkit.SimulatedAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /runs} with {@code on} chooses its nodes when it accepts the run; the fan-out starts a moment later. If
 * an agent's link drops in between, the run must not fail for "no node" (the link-cut drill saw it under load): its
 * child waits for the agent to rejoin, as a child sent over a cut link does.
 */
@Timeout(60)
class AFanOutWaitsForAnAgentWhoseLinkDroppedAfterItWasChosenTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
        primary.push("deploy.groovy", "'deployed'");
        String token = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), token, "web-1", Map.of("role", "web"), run -> "ok", false);
        agent.join();
    }

    @AfterEach
    void stop() {
        agent.close();
        primary.close();
    }

    @Test
    void theChildWaitsForTheChosenAgentAndRunsWhenItRejoins() throws Exception {
        agent.cut();
        await().until(() -> "offline".equals(primary.admin.get("/api/v1/nodes/web-1").json().get("state")));

        // As the gateway's invoke hands it over, the node chosen while it was still linked.
        RunHandle parent = primary.server.coordinator().invoke(new InvokeRequest("deploy.groovy", 0, Map.of(), null, "test")
                .withFanOut(fanOut("web-1", List.of("web-1"))));
        await().until(() -> children(parent.id()).size() == 1);
        assertThat(children(parent.id()).getFirst()).containsEntry("node", "web-1").containsEntry("state", "QUEUED");
        assertThat(parent.snapshot().state()).isEqualTo(RunState.RUNNING);

        agent.join();
        RunSnapshot end = parent.await(Duration.ofSeconds(30));
        assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(RunState.SUCCEEDED);
        assertThat(children(parent.id())).singleElement().satisfies(c -> assertThat(c).containsEntry("state", "SUCCEEDED"));
    }

    @Test
    void aFanOutThatChoseNoNodesYetStillSelectsOnlyLinkedOnes() throws Exception {
        agent.cut();
        await().until(() -> "offline".equals(primary.admin.get("/api/v1/nodes/web-1").json().get("state")));
        // A script's own runOn (no nodes chosen beforehand) picks from the nodes linked now, as before.
        RunHandle parent = primary.server.coordinator().invoke(new InvokeRequest("deploy.groovy", 0, Map.of(), null, "test")
                .withFanOut(fanOut("web-1", null)));
        RunSnapshot end = parent.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(String.valueOf(end.error())).contains("matches no node");
    }

    private static Map<String, Object> fanOut(String on, List<String> chosen) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("on", on);
        if (chosen != null) {
            options.put(PrimaryFleet.CHOSEN_NODES, chosen);
        }
        options.put("parallel", 0L);
        options.put("failFast", false);
        options.put("allowEmpty", false);
        return options;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> children(String parentId) {
        Object children = primary.admin.get("/api/v1/runs/" + parentId).json().get("children");
        return children == null ? List.of() : (List<Map<String, Object>>) children;
    }
}
