package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.store.NodeRecord;
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
 * Several primaries share the node store (docs/cluster.md, "Agents and failover"): the primary an agent left may
 * record it offline after the agent's hello to another primary said online. The primary that holds the link puts it
 * right with the agent's next heartbeat write, so runs can be sent to the node again.
 */
class ANodeMarkedOfflineElsewhereIsOnlineAgainByItsNextHeartbeatTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        primary.close();
    }

    private String state() {
        return (String) primary.admin.get("/api/v1/nodes/web-1").json().get("state");
    }

    @Test
    void theLinkHoldingPrimaryMarksItOnlineAgain() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of()));
        primary.push("hello.groovy", "'hello from ' + node.name");
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "web-1", Map.of(), run -> "done on web-1", false);
        agent.join();
        assertThat(state()).isEqualTo("online");

        // what another primary writes when the link it had to this agent closes late
        NodeRecord r = primary.server.store().nodes().get("web-1").orElseThrow();
        primary.server.store().nodes().upsert("web-1", r.info(), "offline", r.lastSeen());
        assertThat(state()).isEqualTo("offline");
        Http.Answer refused = primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-1"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);

        agent.send(Map.of("type", "heartbeat", "time", java.time.Instant.now().toString(),
                "info", Map.of("name", "web-1", "host", "sim-web-1", "cpus", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> state().equals("online"));
        Http.Answer run = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "web-1"));
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(run.json()).containsEntry("state", "SUCCEEDED");
    }
}
