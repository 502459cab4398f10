package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulated agent's {@code forgetAcknowledged} knob against a real primary: once the primary acknowledges a run's
 * end, the agent drops it, as a real agent's outbox does, so its poll answers no longer list it (the fleet benchmarks
 * rely on this; an agent that listed every run it ever had made each poll cost a store read per old run). Without
 * the knob the run stays, as the other tests expect.
 */
class ASimulatedAgentForgetsRunsAcknowledgedToTheirEndTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent forgetting;
    SimulatedAgent keeping;

    @AfterEach
    void tearDown() {
        if (forgetting != null) {
            forgetting.close();
        }
        if (keeping != null) {
            keeping.close();
        }
        primary.close();
    }

    @Test
    void aRunAcknowledgedToItsEndIsForgottenOnlyWithTheKnob() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(5), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello'");
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join", "role", "agent")).json().get("token");
        forgetting = new SimulatedAgent(primary.server.url(), join, "forgets", Map.of("role", "sim"), r -> "ok", false);
        forgetting.forgetAcknowledged = true;
        keeping = new SimulatedAgent(primary.server.url(), join, "keeps", Map.of("role", "sim"), r -> "ok", false);
        forgetting.join();
        keeping.join();

        Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "role=sim"));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json()).containsEntry("state", "SUCCEEDED");

        await().atMost(SimulatedAgent.patience()).until(() -> !forgetting.received("ack").isEmpty() && forgetting.runs.isEmpty());
        await().atMost(SimulatedAgent.patience()).until(() -> !keeping.received("ack").isEmpty());
        assertThat(keeping.runs).as("without the knob the ended run stays listed").hasSize(1);
    }
}
