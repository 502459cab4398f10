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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token limited by a node selector invokes only on nodes within it (a fan-out's every target must be), and
 * revoking an agent's credential, as a token or as its node, closes that agent's link at once. Real primary, real
 * WebSockets, simulated agents.
 */
class NodeScopedTokensAndRevokedCredentialsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("env", "prod"))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(1), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello from ' + node.name");
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    private SimulatedAgent agent(String name, Map<String, Object> labels) {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent"))
                .json().get("token");
        SimulatedAgent a = new SimulatedAgent(primary.server.url(), join, name, labels, run -> "done on " + name, false);
        agents.add(a);
        a.join();
        return a;
    }

    private void labOnlineWithProd() {
        agent("lab-1", Map.of("env", "lab"));
        agent("lab-2", Map.of("env", "lab"));
        agent("prod-1", Map.of("env", "prod"));
        await().atMost(SimulatedAgent.patience()).until(() -> primary.admin.get("/api/v1/nodes").body()
                .split("\"online\"", -1).length - 1 == 4);
    }

    private Http labToken() {
        Http.Answer created = primary.admin.post("/api/v1/tokens", Map.of("name", "lab-ops", "role", "operator",
                "nodes", "env=lab"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return primary.admin.as((String) created.json().get("token"));
    }

    @Test
    void aNodeScopedTokenInvokesOnlyOnNodesWithinItsSelector() {
        labOnlineWithProd();
        Http lab = labToken();

        Http.Answer fanOut = lab.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "env=lab"));
        assertThat(fanOut.status()).as(fanOut.body()).isEqualTo(201);
        assertThat(fanOut.json()).containsEntry("state", "SUCCEEDED");
        Http.Answer one = lab.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "lab-2"));
        assertThat(one.status()).as(one.body()).isEqualTo(201);

        for (String on : List.of("prod-1", "all", "lab-*,prod-1", "env=prod")) {
            Http.Answer refused = lab.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", on));
            assertThat(refused.status()).as(on + ": " + refused.body()).isEqualTo(403);
            assertThat(refused.errorMessage()).as(on).contains("lab-ops", "env=lab", "is outside its scope")
                    .containsAnyOf("'prod-1'", "'primary-node'");
        }
        Http.Answer onThePrimary = lab.post("/api/v1/runs", Map.of("script", "hello.groovy"));
        assertThat(onThePrimary.status()).isEqualTo(403);
        assertThat(onThePrimary.errorMessage()).contains("'primary-node'");
        // Refused invokes made no runs: only the two allowed invokes and their children exist.
        assertThat(primary.admin.get("/api/v1/runs?limit=100").body()).doesNotContain("prod-1");
        // An admin's invoke is not limited.
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "prod-1"))
                .status()).isEqualTo(201);
    }

    @Test
    void revokingAnAgentsCredentialTokenClosesItsLinkAtOnce() {
        SimulatedAgent lab = agent("lab-1", Map.of("env", "lab"));
        SimulatedAgent other = agent("lab-2", Map.of("env", "lab"));
        assertThat(lab.closed).isNotDone();

        assertThat(primary.admin.delete("/api/v1/tokens/node@lab-1").status()).isEqualTo(200);

        assertThat(lab.closed.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(1008);
        assertThat(lab.received("error")).anyMatch(f -> "revoked".equals(f.get("code")));
        assertThat(other.closed).as("another agent's link stays up").isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> "offline".equals(
                primary.admin.get("/api/v1/nodes/lab-1").json().get("state")));
        // Its credential is gone for good: connecting again with it is refused.
        SimulatedAgent again = new SimulatedAgent(primary.server.url(), lab.credential(), "lab-1", Map.of(),
                run -> null, false);
        agents.add(again);
        try {
            again.connect();
        } catch (IllegalStateException refusedBeforeHello) {
            // the primary closed the link on the upgrade's credential, before the hello could go out
        }
        assertThat(again.closed.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(1008);
    }

    @Test
    void revokingANodeClosesItsLinkAndKillsItsCredential() {
        SimulatedAgent lab = agent("lab-1", Map.of("env", "lab"));

        assertThat(primary.admin.post("/api/v1/nodes/lab-1/revoke", Map.of()).status()).isEqualTo(200);

        assertThat(lab.closed.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(1008);
        assertThat(primary.admin.get("/api/v1/tokens").body()).doesNotContain("node@lab-1");
    }
}
