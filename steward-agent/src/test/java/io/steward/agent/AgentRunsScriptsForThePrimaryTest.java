package io.steward.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AgentRunsScriptsForThePrimaryTest {
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

    static Map<String, Object> run(String id, String script, String source, Map<String, String> includes) {
        return run(id, script, source, includes, Map.of("who", "world"));
    }

    static Map<String, Object> run(String id, String script, String source, Map<String, String> includes,
                                   Map<String, Object> args) {
        List<Map<String, Object>> scripts = new java.util.ArrayList<>();
        scripts.add(Map.of("name", script, "version", 3, "source", source));
        includes.forEach((name, text) -> scripts.add(Map.of("name", name, "version", 1, "source", text)));
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "run");
        frame.put("id", id);
        frame.put("parent", "PARENT1");
        frame.put("script", script);
        frame.put("version", 3);
        frame.put("args", args);
        frame.put("timeoutMs", null);
        frame.put("scripts", scripts);
        return frame;
    }

    @Test
    void runsAScriptWithItsIncludeAndReportsCreatedEveryEventInOrderAndEnded() {
        primary.send(run("RUN1", "greet.groovy", """
                include('lib/words.groovy')
                status.set('phase', 'greeting')
                (1..5).each { status.event('tick', [i: it]) }
                shout("hello ${args.who}")
                """, Map.of("lib/words.groovy", "shout = { String s -> s.toUpperCase() }")));

        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN1") != null);
        Map<String, Object> created = FakePrimary.run(primary.frames("created").get(0));
        assertThat(created).containsEntry("id", "RUN1").containsEntry("parent", "PARENT1")
                .containsEntry("script", "greet.groovy").containsEntry("node", "agent-1");
        Map<String, Object> ended = primary.ended("RUN1");
        assertThat(ended).containsEntry("state", "SUCCEEDED").containsEntry("result", "HELLO WORLD");

        List<Map<String, Object>> events = primary.events("RUN1");
        long lastSeq = ((Number) ended.get("lastSeq")).longValue();
        assertThat(events).extracting(e -> ((Number) e.get("seq")).longValue())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
        assertThat(primary.received.get("RUN1")).doesNotHaveDuplicates();
        assertThat(events).filteredOn(e -> "event".equals(e.get("kind"))).hasSize(5);
        assertThat(events.get(events.size() - 1)).containsEntry("kind", "state");
        assertThat((String) events.get(0).get("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        // created went before the first events frame, ended after the last
        List<String> order = primary.frames.stream().map(f -> (String) f.get("type"))
                .filter(t -> List.of("created", "events", "ended").contains(t)).toList();
        assertThat(order.get(0)).isEqualTo("created");
        assertThat(order.get(order.size() - 1)).isEqualTo("ended");

        // acknowledged to its end: the agent forgets it and deletes its file
        await().until(() -> agent.outbox().heldRuns().isEmpty());
        assertThat(data.resolve("outbox/RUN1.jsonl")).doesNotExist();
    }

    @Test
    void aRunThatCannotStartIsRefusedWithTheReason() {
        primary.send(run("RUN2", "broken.groovy", "include('lib/missing.groovy')\n", Map.of()));
        primary.send(run("RUN3", "syntax.groovy", "def x = (\n", Map.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> primary.frames("refused").stream()
                .anyMatch(f -> "RUN3".equals(f.get("id"))));
        assertThat((String) primary.frames("refused").stream().filter(f -> "RUN3".equals(f.get("id")))
                .findFirst().orElseThrow().get("message")).isNotBlank();
        // a missing include is found when the script runs it: the run fails with a clear error
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN2") != null);
        assertThat(primary.ended("RUN2")).containsEntry("state", "FAILED");
        assertThat(String.valueOf(primary.ended("RUN2").get("error"))).contains("lib/missing.groovy");
    }

    @Test
    void theSameRunSentTwiceStartsOnce() {
        Map<String, Object> frame = run("RUN4", "once.groovy", "status.event('once', [:]); 42", Map.of());
        primary.send(frame);
        primary.send(frame);
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN4") != null);
        assertThat(primary.frames("created")).hasSize(1);
        assertThat(primary.frames("refused")).isEmpty();
    }

    @Test
    void cancelKillsTheRunsLocalProcess() {
        primary.send(run("RUN5", "sleeper.groovy", "exec('sleep 600')", Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.coordinator().snapshot("RUN5")
                .map(s -> !s.processes().isEmpty()).orElse(false));
        long pid = ((Number) agent.coordinator().snapshot("RUN5").orElseThrow().processes().get(0).get("pid"))
                .longValue();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        primary.send(Map.of("type", "cancel", "id", "RUN5", "reason", "test"));

        await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("RUN5") != null);
        assertThat(primary.ended("RUN5")).containsEntry("state", "CANCELLED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void pollIsAnsweredWithSnapshotsOfTheRunsNotAcknowledgedToTheirEnd() throws Exception {
        Path gate = data.resolve("gate");
        primary.send(run("RUN6", "waiter.groovy", """
                shared.put('stage', 'waiting')
                while (!new File(args.gate).exists()) { sleep(20) }
                'done'
                """, Map.of(), Map.of("gate", gate.toString())));
        await().atMost(Duration.ofSeconds(20)).until(() -> !primary.frames("created").isEmpty());
        await().until(() -> agent.coordinator().snapshot("RUN6").map(s -> !s.shared().isEmpty()).orElse(false));

        primary.send(Map.of("type", "poll", "pollId", 7));

        await().until(() -> !primary.frames("status").isEmpty());
        Map<String, Object> status = primary.frames("status").get(0);
        assertThat(status).containsEntry("pollId", 7);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) status.get("runs");
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("id", "RUN6").containsEntry("state", "RUNNING");
            assertThat(r.get("shared")).isEqualTo(Map.of("stage", "waiting"));
        });

        Files.createFile(gate);
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.outbox().heldRuns().isEmpty());
        primary.send(Map.of("type", "poll", "pollId", 8));
        await().until(() -> primary.frames("status").size() == 2);
        assertThat(primary.frames("status").get(1).get("runs")).isEqualTo(List.of());
    }

    @Test
    void aMalformedOrUnknownFrameIsAnsweredWithAnErrorAndTheLinkStays() {
        primary.send(Map.of("type", "teleport"));
        primary.send(Map.of("type", "ack", "seq", "x"));
        await().until(() -> primary.frames("error").size() == 2);
        assertThat(primary.frames("error")).extracting(f -> f.get("code")).containsExactly("unknown-type", "malformed");
        assertThat(agent.connected()).isTrue();
        assertThat(agent.connections()).isEqualTo(1);
    }
}
