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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Anyone with a join token may add a node, but not become one that has joined before: while a node name has a
 * credential, a join under it with a join token is refused ({@code conflict}, saying how to fix it), and the agent
 * holding the credential keeps its name. Once an admin revokes the node, its name may be joined again.
 */
class AJoinTokenCannotTakeOverAJoinedNodeTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello'");
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    @Test
    void anOfflineNodeKeepsItsNameAndCredentialUntilAnAdminRevokesIt() {
        SimulatedAgent web = agent(joinToken("join-a"), "web-1");
        assertThat(web.join()).containsKey("credential");
        String credential = web.credential();
        web.cut();
        await().atMost(SimulatedAgent.patience()).until(() -> "offline".equals(state("web-1")));

        // someone else with a join token of their own tries to become web-1 while it is offline
        SimulatedAgent impostor = agent(joinToken("join-b"), "web-1");
        assertThatThrownBy(impostor::join).isInstanceOf(RuntimeException.class);
        Map<String, Object> error = impostor.received("error").getFirst();
        assertThat(error).containsEntry("code", "conflict");
        assertThat((String) error.get("message")).contains("has a credential", "steward node revoke web-1",
                "agent.credential");
        assertThat(impostor.closed.orTimeout(10, TimeUnit.SECONDS).join()).isIn(1008, -1);
        assertThat(impostor.received("welcome")).isEmpty();
        assertThat(state("web-1")).isEqualTo("offline");

        // the real web-1 comes back with its credential, which still works and is not replaced
        SimulatedAgent back = agent(credential, "web-1");
        assertThat(back.join()).containsEntry("state", "online").doesNotContainKey("credential");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "hello.groovy", "on", "web-1")).json();
        assertThat(run).containsEntry("state", "SUCCEEDED");
        assertThat(back.runs).hasSize(1);

        // revoked by an admin: the old agent is out, and the name may be joined again with a join token
        assertThat(primary.admin.post("/api/v1/nodes/web-1/revoke", "").status()).isEqualTo(200);
        assertThat(back.closed.orTimeout(10, TimeUnit.SECONDS).join()).isIn(1008, -1);
        SimulatedAgent successor = agent(joinToken("join-c"), "web-1");
        Map<String, Object> welcome = successor.join();
        assertThat(welcome).containsEntry("state", "online");
        assertThat((String) welcome.get("credential")).isNotEqualTo(credential);
        SimulatedAgent old = agent(credential, "web-1");
        assertThatThrownBy(old::join).isInstanceOf(RuntimeException.class);
        await().untilAsserted(() -> assertThat(old.received("error")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("code", "unauthorized")));
    }

    /** Salt CVE-2016-9639: one node's credential never buys another node's name, online or not; nothing merges. */
    @Test
    void anotherNodesCredentialCannotClaimAName() {
        SimulatedAgent web1 = agent(joinToken("join-a"), "web-1");
        web1.join();
        SimulatedAgent web2 = agent(joinToken("join-b"), "web-2");
        web2.join();
        SimulatedAgent impostor = agent(web2.credential(), "web-1");
        assertThatThrownBy(impostor::join).isInstanceOf(RuntimeException.class);
        assertThat(impostor.received("error").getFirst()).containsEntry("code", "conflict");
        assertThat((String) impostor.received("error").getFirst().get("message")).contains("belongs to 'web-2'");
        assertThat(impostor.closed.orTimeout(10, TimeUnit.SECONDS).join()).isIn(1008, -1);
        // web-1 keeps its link and its runs
        assertThat(web1.closed).isNotDone();
        assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "web-1"))
                .json()).containsEntry("state", "SUCCEEDED");
        assertThat(web1.runs).hasSize(1);
        assertThat(impostor.runs).isEmpty();
    }

    @Test
    void aJoinTokenMayStillAddANewNode() {
        SimulatedAgent first = agent(joinToken("join-a"), "web-1");
        first.join();
        SimulatedAgent second = agent(joinToken("join-a2"), "web-2");
        assertThat(second.join()).containsEntry("state", "online").containsKey("credential");
        assertThat(state("web-2")).isEqualTo("online");
    }

    private SimulatedAgent agent(String token, String name) {
        SimulatedAgent a = new SimulatedAgent(primary.server.url(), token, name, Map.of(), run -> "done", false);
        agents.add(a);
        return a;
    }

    private String joinToken(String name) {
        return (String) primary.admin.post("/api/v1/tokens", Map.of("name", name, "role", "agent")).json().get("token");
    }

    private String state(String node) {
        return (String) primary.admin.get("/api/v1/nodes/" + node).json().get("state");
    }
}
