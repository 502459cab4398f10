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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The primary's side of agents, against light simulated agents on real WebSockets. */
class FanOutToSimulatedAgentsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary"))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(1), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("hello.groovy", "'hello from ' + node.name");
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    private String joinToken(String name) {
        return (String) primary.admin.post("/api/v1/tokens", Map.of("name", name, "role", "agent")).json().get("token");
    }

    private SimulatedAgent agent(String name, Map<String, Object> labels, boolean hold) {
        SimulatedAgent a = new SimulatedAgent(primary.server.url(), joinToken("join-" + name), name, labels,
                run -> "done on " + name, hold);
        agents.add(a);
        return a;
    }

    private void threeAgents(boolean hold) {
        agent("web-1", Map.of("role", "web", "env", "prod"), hold).join();
        agent("web-2", Map.of("role", "web", "env", "lab"), hold).join();
        agent("db-1", Map.of("role", "db", "env", "prod"), hold).join();
        await().atMost(SimulatedAgent.patience()).until(() -> nodes().stream().filter(n -> "online".equals(n.get("state"))).count() == 4);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> nodes() {
        return (List<Map<String, Object>>) primary.admin.get("/api/v1/nodes").json().get("nodes");
    }

    private Map<String, Object> fanOut(String on) {
        Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", on));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json();
    }

    @Test
    void joinedAgentsAreListedWithStateLabelsAndInfo() {
        Map<String, Object> welcome = agent("web-1", Map.of("role", "web"), false).join();
        assertThat(welcome).containsEntry("state", "online").containsKey("credential");
        assertThat(nodes()).extracting(n -> n.get("name")).containsExactlyInAnyOrder("primary-node", "web-1");
        Map<String, Object> web1 = primary.admin.get("/api/v1/nodes/web-1").json();
        assertThat(web1).containsEntry("state", "online").containsEntry("labels", Map.of("role", "web"))
                .containsKeys("lastSeen", "info");
        // The poll follows the welcome on the link at once; it may still be in flight when the welcome has arrived.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(agents.getFirst().received("poll")).as("polled at once after hello").isNotEmpty());
    }

    @Test
    void fanOutByNameGlobLabelsAndAll() {
        threeAgents(false);
        Map<String, Object> byName = fanOut("web-1");
        assertThat(byName).containsEntry("state", "SUCCEEDED").containsEntry("script", "hello.groovy");
        assertThat(byName.get("result")).isEqualTo(Map.of("web-1", "done on web-1"));

        assertThat(fanOut("web-*").get("result")).isEqualTo(Map.of("web-1", "done on web-1", "web-2", "done on web-2"));
        assertThat(fanOut("role=web,env=prod").get("result")).isEqualTo(Map.of("web-1", "done on web-1"));
        Map<String, Object> all = fanOut("all");
        assertThat(all.get("result")).isEqualTo(Map.of("primary-node", "hello from primary-node",
                "web-1", "done on web-1", "web-2", "done on web-2", "db-1", "done on db-1"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) all.get("children");
        assertThat(children).hasSize(4).allSatisfy(c -> {
            assertThat(c).containsKeys("id", "node", "state", "result");
            assertThat(c.get("state")).isEqualTo("SUCCEEDED");
        });
        // Each child is a run of its own, stored with its node and parent.
        String child = (String) children.stream().filter(c -> c.get("node").equals("db-1")).findFirst().orElseThrow().get("id");
        await().untilAsserted(() -> assertThat(primary.admin.get("/api/v1/runs/" + child).json())
                .containsEntry("node", "db-1").containsEntry("parent", all.get("id")).containsEntry("state", "SUCCEEDED"));
        await().untilAsserted(() -> assertThat((List<?>) primary.admin.get("/api/v1/runs?node=db-1").json().get("runs"))
                .as("the runs of one node: only the fan-out to all reached db-1").hasSize(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) all.get("status")).get("values")).get("children");
        assertThat(counts).isEqualTo(Map.of("SUCCEEDED", 4));
    }

    @Test
    void aParentReadBackFromTheStoreStillListsItsChildren() {
        threeAgents(false);
        String parent = (String) fanOut("all").get("id");
        primary.close();
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) primary.admin.get("/api/v1/runs/" + parent).json().get("children");
        assertThat(children).hasSize(4).allSatisfy(c -> assertThat(c).containsEntry("state", "SUCCEEDED").containsKey("node"));
    }

    @Test
    void badSelectorsAreClearErrorsAndStartNothing() {
        threeAgents(false);
        Http.Answer unknownLabel = primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "colour=blue"));
        assertThat(unknownLabel.status()).isEqualTo(400);
        assertThat(unknownLabel.errorMessage()).contains("no node has the label 'colour'");
        Http.Answer empty = primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "nope-*"));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errorMessage()).contains("matches no node");
        Http.Answer malformed = primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "a b"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat((List<?>) primary.admin.get("/api/v1/runs").json().get("runs")).isEmpty();

        Http.Answer allowed = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "hello.groovy", "on", "nope-*", "allowEmpty", true));
        assertThat(allowed.json()).containsEntry("state", "SUCCEEDED").containsEntry("result", Map.of());
    }

    @Test
    void cancellingTheParentCancelsItsChildrenOnEveryAgent() {
        threeAgents(true);
        String parent = (String) primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-*")).json().get("id");
        await().atMost(SimulatedAgent.patience()).until(() -> agents.get(0).runs.size() == 1 && agents.get(1).runs.size() == 1);
        assertThat(primary.admin.post("/api/v1/runs/" + parent + "/cancel", "").status()).isEqualTo(200);
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> {
            assertThat(agents.get(0).received("cancel")).hasSize(1);
            assertThat(agents.get(1).received("cancel")).hasSize(1);
            assertThat(primary.admin.get("/api/v1/runs/" + parent).json()).containsEntry("state", "CANCELLED");
        });
        assertThat(agents.get(2).received("cancel")).isEmpty();
    }

    @Test
    void parallelBoundsHowManyNodesRunAtOnce() {
        threeAgents(true);
        String parent = (String) primary.admin.post("/api/v1/runs",
                Map.of("script", "hello.groovy", "on", "web-*,db-*", "parallel", 1)).json().get("id");
        await().atMost(SimulatedAgent.patience()).until(() -> agents.stream().mapToInt(a -> a.runs.size()).sum() == 1);
        for (int done = 1; done <= 3; done++) {
            SimulatedAgent busy = agents.stream().filter(a -> a.runs.values().stream().anyMatch(r -> "RUNNING".equals(r.get("state"))))
                    .findFirst().orElseThrow();
            assertThat(agents.stream().mapToLong(a -> a.runs.values().stream().filter(r -> "RUNNING".equals(r.get("state"))).count()).sum())
                    .isEqualTo(1);
            busy.finish(busy.runs.keySet().iterator().next(), false);
            int started = done + 1;
            if (done < 3) {
                await().atMost(SimulatedAgent.patience()).until(() -> agents.stream().mapToInt(a -> a.runs.size()).sum() == started);
            }
        }
        await().atMost(SimulatedAgent.patience()).until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + parent).json().get("state")));
    }

    @Test
    void failFastCancelsTheOtherNodesOnTheFirstFailure() {
        // Nodes start in name order: the slow one first, so it is running when the other fails.
        SimulatedAgent slow = agent("a-slow", Map.of("role", "x"), true);
        slow.join();
        SimulatedAgent bad = new SimulatedAgent(primary.server.url(), joinToken("join-bad"), "b-bad", Map.of("role", "x"),
                run -> { throw new IllegalStateException("disk full"); }, false);
        agents.add(bad);
        bad.join();
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=30s",
                Map.of("script", "hello.groovy", "on", "role=x", "failFast", true)).json();
        assertThat(run).containsEntry("state", "FAILED");
        assertThat(((Map<?, ?>) run.get("error")).get("message").toString()).contains("b-bad FAILED: disk full");
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> assertThat(slow.received("cancel")).hasSize(1));
    }

    @Test
    void withApprovalRequiredANewAgentWaitsUntilApproved() {
        primary.close();
        primary = new TestPrimary(ServerConfig.defaults(dir.resolve("approving")).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(300), true)));
        primary.push("hello.groovy", "1");
        SimulatedAgent newcomer = agent("new-1", Map.of(), false);
        assertThat(newcomer.join()).containsEntry("state", "pending");
        assertThat(primary.admin.get("/api/v1/nodes/new-1").json()).containsEntry("state", "pending");
        assertThat(primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "new-1")).status())
                .as("a pending node cannot be selected").isEqualTo(400);
        assertThat(primary.admin.post("/api/v1/nodes/new-1/approve", "").status()).isEqualTo(200);
        await().until(() -> !newcomer.received("approved").isEmpty());
        assertThat(fanOut("new-1")).containsEntry("state", "SUCCEEDED");
        await().atMost(SimulatedAgent.patience()).until(() -> !newcomer.received("heartbeat").isEmpty());
    }

    @Test
    void aBadJoinTokenARevokedAgentAndAMalformedFrameAreRefused() {
        SimulatedAgent impostor = new SimulatedAgent(primary.server.url(), "stw_forged", "evil", Map.of(), r -> null, false);
        agents.add(impostor);
        // The primary refuses at once on connect, so the hello may not even get out: either way the join fails and
        // the one frame the impostor receives is the error naming the cause.
        assertThatThrownBy(impostor::join).isInstanceOf(RuntimeException.class);
        await().untilAsserted(() -> assertThat(impostor.received("error")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("code", "unauthorized")));
        // The primary closes with 1008 after its error frame; the JDK client may see that as an abort (-1) instead.
        assertThat(impostor.closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isIn(1008, -1);

        SimulatedAgent web = agent("web-1", Map.of(), false);
        web.join();
        web.sendRaw("{not json");
        web.sendRaw("{\"type\": \"teleport\"}");
        await().until(() -> web.received("error").size() == 2);
        assertThat(web.received("error")).allSatisfy(e -> assertThat(e).containsEntry("code", "bad_message"));
        assertThat(fanOut("web-1")).containsEntry("state", "SUCCEEDED");

        assertThat(primary.admin.post("/api/v1/nodes/web-1/revoke", "").status()).isEqualTo(200);
        assertThat(web.closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isIn(1008, -1);
        assertThat(primary.admin.get("/api/v1/nodes/web-1").json()).containsEntry("state", "revoked");
        SimulatedAgent again = new SimulatedAgent(primary.server.url(), web.credential(), "web-1", Map.of(), r -> null, false);
        agents.add(again);
        assertThatThrownBy(again::join).isInstanceOf(RuntimeException.class);
        await().untilAsserted(() -> assertThat(again.received("error")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("code", "unauthorized")));
    }

    @Test
    void anAgentGonePastTheGracePeriodLosesItsRunsUntilItReportsTheirRealEnd() {
        SimulatedAgent web = agent("web-1", Map.of(), true);
        web.join();
        String parent = (String) primary.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-1")).json().get("id");
        await().atMost(SimulatedAgent.patience()).until(() -> web.runs.size() == 1);
        String child = web.runs.keySet().iterator().next();
        web.cut();
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> {
            assertThat(primary.admin.get("/api/v1/runs/" + child).json()).containsEntry("state", "LOST");
            assertThat(primary.admin.get("/api/v1/runs/" + parent).json()).containsEntry("state", "FAILED");
        });
        assertThat(primary.admin.get("/api/v1/nodes/web-1").json()).containsEntry("state", "offline");

        web.join();
        web.finish(child, false);
        await().atMost(SimulatedAgent.patience()).untilAsserted(() ->
                assertThat(primary.admin.get("/api/v1/runs/" + child).json()).containsEntry("state", "SUCCEEDED")
                        .containsEntry("result", "done on web-1"));
    }
}
