package io.steward.schedule;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A schedule with {@code on} fans each slot out to the agents its selector matches, as {@code POST /runs} does. */
class ScheduledFanOutToSimulatedAgentsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary"))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello from ' + node.name");
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    private void agent(String name) {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent"))
                .json().get("token");
        SimulatedAgent a = new SimulatedAgent(primary.server.url(), join, name, Map.of("role", "web"),
                run -> "done on " + name, false);
        agents.add(a);
        a.join();
    }

    @Test
    void eachSlotIsAParentRunWithAChildPerSelectedAgent() {
        agent("web-1");
        agent("web-2");
        assertThat(primary.admin.post("/api/v1/schedules", Map.of("name", "web-hello", "cron", "* * * * * ?",
                "script", "hello.groovy", "on", "role=web")).status()).isEqualTo(201);
        await().atMost(SimulatedAgent.patience()).until(() ->
                ((Number) primary.admin.get("/api/v1/schedules/web-hello").json().get("fired")).longValue() >= 1);
        String parent = (String) primary.admin.get("/api/v1/schedules/web-hello").json().get("lastRun");
        primary.admin.post("/api/v1/schedules/web-hello/pause", "{}");
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> {
            Map<String, Object> run = primary.admin.get("/api/v1/runs/" + parent).json();
            assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("invoker", "schedule:web-hello")
                    .containsEntry("result", Map.of("web-1", "done on web-1", "web-2", "done on web-2"));
            assertThat(TestPrimary.map(TestPrimary.map(run.get("args")).get("_schedule"))).containsEntry("name", "web-hello");
        });
    }
}
