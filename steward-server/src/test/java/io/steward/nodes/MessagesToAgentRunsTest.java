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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/runs/{id}/messages} (and cancel) for runs on agents, against a simulated agent on a real
 * WebSocket: 202 only once the agent confirmed, 409 when it says the run ended, 503 naming the node when it cannot
 * be asked or does not answer.
 */
class MessagesToAgentRunsTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(30), Duration.ofMillis(300),
                        Duration.ofSeconds(10), false)));
        primary.push("work.groovy", "'never runs here'");
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "web-1", Map.of(), run -> "done", true);
        agent.join();
        await().atMost(SimulatedAgent.patience()).until(() -> "online".equals(primary.admin.get("/api/v1/nodes/web-1").json().get("state")));
    }

    @AfterEach
    void tearDown() {
        agent.close();
        primary.close();
    }

    /** Starts a held run on the agent and answers its id once the primary has it as RUNNING. */
    private String runOnTheAgent() {
        primary.admin.post("/api/v1/runs", Map.of("script", "work.groovy", "on", "web-1"));
        await().atMost(SimulatedAgent.patience()).until(() -> agent.runs.size() == 1);
        String id = agent.runs.keySet().iterator().next();
        await().atMost(SimulatedAgent.patience()).until(() -> "RUNNING".equals(run(id).get("state")));
        return id;
    }

    private Map<String, Object> run(String id) {
        return primary.admin.get("/api/v1/runs/" + id).json();
    }

    private Http.Answer message(String id, Object message) {
        return primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", message));
    }

    @Test
    void aMessageGoesOverTheLinkAndIs202OnceTheAgentConfirmedIt() {
        String id = runOnTheAgent();

        Http.Answer sent = message(id, Map.of("go", List.of(1, 2)));

        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(agent.received("message")).singleElement().satisfies(frame -> assertThat(frame)
                .containsEntry("id", id).containsEntry("message", Map.of("go", List.of(1, 2))).containsKey("messageId"));
        long seq = ((Number) sent.json().get("seq")).longValue();
        assertThat(sent.json()).containsEntry("delivered", true);
        await().atMost(SimulatedAgent.patience()).untilAsserted(() -> assertThat(
                (List<?>) primary.admin.get("/api/v1/runs/" + id + "/events").json().get("events"))
                .anySatisfy(e -> assertThat(TestPrimary.map(e)).containsEntry("seq", (int) seq)
                        .containsEntry("kind", "message")));
    }

    @Test
    void whenTheAgentSaysTheRunHasEndedItIs409WithTheAgentsReason() {
        String id = runOnTheAgent();
        agent.runs.get(id).put("state", "FAILED"); // ended there; the primary has not heard yet

        Http.Answer refused = message(id, "late");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.errorMessage()).isEqualTo("run " + id + " has already ended as FAILED: messages go to running runs only");
    }

    @Test
    void aRunThePrimaryKnowsHasEndedIs409WithoutAskingTheAgent() {
        String id = runOnTheAgent();
        agent.finish(id, false);
        await().atMost(SimulatedAgent.patience()).until(() -> "SUCCEEDED".equals(run(id).get("state")));

        Http.Answer refused = message(id, "late");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorMessage()).isEqualTo("run " + id + " has already ended as SUCCEEDED: messages go to running runs only");
        assertThat(agent.received("message")).isEmpty();
    }

    @Test
    void whileTheAgentIsOfflineItIs503NamingTheNodeAndNothingIsSent() {
        String id = runOnTheAgent();
        agent.cut();
        await().atMost(SimulatedAgent.patience()).until(() -> "offline".equals(primary.admin.get("/api/v1/nodes/web-1").json().get("state")));

        Http.Answer offline = message(id, "anyone there?");

        assertThat(offline.status()).as(offline.body()).isEqualTo(503);
        assertThat(offline.errorCode()).isEqualTo("node_offline");
        assertThat(offline.errorMessage()).startsWith("node web-1 is offline: the message was not delivered; retry when it is back");
        assertThat(agent.received("message")).isEmpty();

        Http.Answer cancel = primary.admin.post("/api/v1/runs/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(503);
        assertThat(cancel.errorMessage()).startsWith("node web-1 is offline: run " + id + " was not cancelled");
    }

    @Test
    void anAgentThatDoesNotAnswerIs503AfterABoundedWait() {
        String id = runOnTheAgent();
        agent.answerMessages = false;

        long start = System.nanoTime();
        Http.Answer silent = message(id, "hello?");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(silent.status()).as(silent.body()).isEqualTo(503);
        assertThat(silent.errorMessage()).startsWith("node web-1 did not confirm the message within 5s: it may not have been delivered");
        assertThat(took).isGreaterThanOrEqualTo(RemoteMessages.CONFIRM_WITHIN).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aMessageWhoseLinkBreaksBeforeTheAnswerGoesAgainOnTheAgentsNewLink() throws Exception {
        String id = runOnTheAgent();
        agent.answerMessages = false; // the first link takes the message and then breaks without an answer
        CompletableFuture<Http.Answer> sending = CompletableFuture.supplyAsync(() -> message(id, "through a blip"));
        await().atMost(SimulatedAgent.patience()).until(() -> agent.received("message").size() == 1);

        agent.cut();
        await().atMost(SimulatedAgent.patience()).until(() -> "offline".equals(primary.admin.get("/api/v1/nodes/web-1").json().get("state")));
        agent.answerMessages = true;
        agent.connect();

        Http.Answer sent = sending.get(30, TimeUnit.SECONDS);
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        List<Map<String, Object>> frames = agent.received("message");
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1)).isEqualTo(frames.get(0)); // the same messageId: the agent delivers it once
    }

    @Test
    void aCancelOfARunOnALiveAgentGoesOverTheLink() {
        String id = runOnTheAgent();

        Http.Answer cancel = primary.admin.post("/api/v1/runs/" + id + "/cancel", Map.of());

        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        await().atMost(SimulatedAgent.patience()).until(() -> "CANCELLED".equals(run(id).get("state")));
        assertThat(agent.received("cancel")).singleElement().satisfies(f -> assertThat(f).containsEntry("id", id));
    }
}
