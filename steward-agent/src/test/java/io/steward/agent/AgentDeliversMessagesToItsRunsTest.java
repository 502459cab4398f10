package io.steward.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent's side of {@code message} frames and of {@code cancel} with a script's {@code onCancel}. */
class AgentDeliversMessagesToItsRunsTest {
    @TempDir
    Path data;
    FakePrimary primary;
    Agent agent;

    @BeforeEach
    void start() throws Exception {
        primary = new FakePrimary().start();
        agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data));
        await().atMost(Duration.ofSeconds(10)).until(agent::connected);
    }

    @AfterEach
    void stop() {
        agent.close();
        primary.close();
    }

    private static Map<String, Object> message(String runId, String messageId, Object message) {
        return Json.frame("message", "id", runId, "messageId", messageId, "message", message);
    }

    private Map<String, Object> answer(String messageId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(messageId).size() == 1);
        return answers(messageId).getFirst();
    }

    private List<Map<String, Object>> answers(String messageId) {
        return primary.frames.stream().filter(f -> messageId.equals(f.get("messageId"))).toList();
    }

    private void awaitStatus(String runId, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.events(runId).stream()
                .anyMatch(e -> "status".equals(e.get("kind")) && e.get("data") instanceof Map<?, ?> d
                        && name.equals(d.get("name"))));
    }

    @Test
    void aMessageReachesAScriptWaitingOnItsInboxAndIsConfirmedWithItsEventSeq() {
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN1", "wait.groovy",
                "status.set('waiting', true); inbox.take(30_000)", Map.of()));
        awaitStatus("RUN1", "waiting");

        primary.send(message("RUN1", "m-1", Map.of("deploy", List.of("a", "b"))));

        Map<String, Object> delivered = answer("m-1");
        assertThat(delivered).containsEntry("type", "delivered").containsEntry("id", "RUN1");
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN1") != null);
        assertThat(primary.ended("RUN1")).containsEntry("state", "SUCCEEDED")
                .containsEntry("result", Map.of("deploy", List.of("a", "b")));
        long seq = ((Number) delivered.get("seq")).longValue();
        assertThat(primary.events("RUN1")).filteredOn(e -> ((Number) e.get("seq")).longValue() == seq)
                .singleElement().satisfies(e -> assertThat(e).containsEntry("kind", "message"));
    }

    @Test
    void aMessageSentAgainWithTheSameIdIsDeliveredOnceAndAnsweredAgain() {
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN7", "collect.groovy", """
                status.set('waiting', true)
                [inbox.take(30_000), inbox.take(30_000)]
                """, Map.of()));
        awaitStatus("RUN7", "waiting");

        primary.send(message("RUN7", "m-7", "once"));
        Map<String, Object> first = answer("m-7");
        primary.send(message("RUN7", "m-7", "once")); // as after a reconnect, when the first answer did not arrive
        await().atMost(Duration.ofSeconds(20)).until(() -> answers("m-7").size() == 2);
        primary.send(message("RUN7", "m-8", "then this"));

        assertThat(answers("m-7").get(1)).isEqualTo(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN7") != null);
        assertThat(primary.ended("RUN7")).containsEntry("result", List.of("once", "then this"));
    }

    @Test
    void aMessageSentRightAfterTheRunWaitsForItsStartInsteadOfBeingRefused() {
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN2", "early.groovy", "inbox.take(30_000)", Map.of()));
        primary.send(message("RUN2", "m-2", "early"));

        assertThat(answer("m-2")).containsEntry("type", "delivered");
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN2") != null);
        assertThat(primary.ended("RUN2")).containsEntry("result", "early");
    }

    @Test
    void onMessageHandlersRunForEachMessage() {
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN3", "handler.groovy", """
                def got = new java.util.concurrent.LinkedBlockingQueue()
                onMessage { msg -> got.put(msg) }
                status.set('listening', true)
                [got.take(), got.take()]
                """, Map.of()));
        awaitStatus("RUN3", "listening");

        primary.send(message("RUN3", "m-3a", 1));
        assertThat(answer("m-3a")).containsEntry("type", "delivered");
        primary.send(message("RUN3", "m-3b", 2));
        assertThat(answer("m-3b")).containsEntry("type", "delivered");

        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN3") != null);
        assertThat(primary.ended("RUN3")).containsEntry("state", "SUCCEEDED").containsEntry("result", List.of(1, 2));
    }

    @Test
    void aMessageToAnEndedOrUnknownRunIsUndeliverableWithTheReason() {
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN4", "done.groovy", "'done'", Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN4") != null);

        primary.send(message("RUN4", "m-4", "late"));
        Map<String, Object> ended = answer("m-4");
        assertThat(ended).containsEntry("type", "undeliverable").containsEntry("id", "RUN4");
        assertThat((String) ended.get("reason")).satisfiesAnyOf(
                reason -> assertThat(reason).isEqualTo("run RUN4 has already ended as SUCCEEDED: messages go to running runs only"),
                // the agent may already have forgotten the run once the primary acknowledged its end
                reason -> assertThat(reason).startsWith("run RUN4 is not running on node agent-1"));

        primary.send(message("NOPE", "m-5", "lost?"));
        assertThat(answer("m-5")).containsEntry("type", "undeliverable")
                .containsEntry("reason", "run NOPE is not running on node agent-1 (it has ended, or never started "
                        + "there): messages go to running runs only");
    }

    @Test
    void aMessageFrameWithoutItsIdsIsAnsweredWithAnError() {
        primary.send(Json.frame("message", "id", "RUN1", "message", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> primary.frames("error").stream()
                .anyMatch(f -> String.valueOf(f.get("message")).contains("a message needs an id, a messageId and a message")));
        assertThat(agent.connected()).isTrue();
    }

    @Test
    void aCancelFromThePrimaryRunsTheScriptsOnCancelBeforeTheRunStops() throws Exception {
        Path cleaned = data.resolve("cleaned.txt");
        primary.send(AgentRunsScriptsForThePrimaryTest.run("RUN6", "careful.groovy", """
                onCancel { new File(args.file).text = 'cleaned up' }
                status.set('started', true)
                sleep(600_000)
                """, Map.of(), Map.of("file", cleaned.toString())));
        awaitStatus("RUN6", "started");

        primary.send(Json.frame("cancel", "id", "RUN6", "reason", "by admin"));

        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN6") != null);
        assertThat(primary.ended("RUN6")).containsEntry("state", "CANCELLED");
        assertThat(cleaned).exists();
        assertThat(Files.readString(cleaned)).isEqualTo("cleaned up");
    }
}
