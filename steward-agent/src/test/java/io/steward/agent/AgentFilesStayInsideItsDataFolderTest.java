package io.steward.agent;

import io.steward.coordinator.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where the agent turns a name it was sent into a file or a lookup: a run id names the run's outbox files, and the
 * scripts that come with a run are kept by name for {@code include}. Each trick of issue 14 is tried against real
 * files in a temporary folder; the agent refuses it with the name and the rule, and writes nothing outside.
 */
class AgentFilesStayInsideItsDataFolderTest {
    @TempDir
    Path tmp;

    @Test
    void runIdsThatAreNoPlainFileNameAreRefusedAndWriteNothing() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            List<String> ids = List.of("../../escaped", "..%2f..%2fescaped", "/tmp/escaped", "esc\0aped",
                    "outbox-evil/../../escaped", "x".repeat(65));
            for (String id : ids) {
                primary.send(AgentRunsScriptsForThePrimaryTest.run(id, "main.groovy", "'ran'", Map.of()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> primary.frames("error").size() >= ids.size());
            assertThat(primary.frames("error")).allSatisfy(e -> assertThat((String) e.get("message"))
                    .contains("is refused: a run id is 1 to 64 letters, digits, '_' or '-'"));
            // the agent still runs a run with a good id, and nothing else ran
            primary.send(AgentRunsScriptsForThePrimaryTest.run("GOOD1", "main.groovy", "'ran'", Map.of()));
            await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("GOOD1") != null);
            assertThat(primary.frames("created")).hasSize(1);
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("escaped"));
        }
    }

    @Test
    void scriptsSentWithARunUnderClimbingNamesRefuseTheRun() throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, tmp.resolve("data")))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            Map<String, String> bad = Map.of(
                    "RUN1", "../lib.groovy",
                    "RUN2", "lib/%2e%2e/%2e%2e/lib.groovy",
                    "RUN3", "/etc/lib.groovy",
                    "RUN4", "lib\0.groovy");
            bad.forEach((id, name) -> primary.send(AgentRunsScriptsForThePrimaryTest.run(id, "main.groovy",
                    "include('lib.groovy')", Map.of(name, "'lib'"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> primary.frames("refused").size() == bad.size());
            for (Map<String, Object> refused : primary.frames("refused")) {
                assertThat((String) refused.get("message")).as(refused.toString()).containsAnyOf("contains '..'",
                        "percent-decoded", "is absolute", "control character");
            }
            assertThat(primary.frames("created")).isEmpty();
        }
    }

    @Test
    void aRunsOutboxFileThatIsALinkOutOfTheOutboxIsNotWrittenThrough() throws Exception {
        Path outbox = Files.createDirectories(tmp.resolve("data/outbox"));
        Path outside = tmp.resolve("outside.jsonl");
        AgentOutbox box = new AgentOutbox(outbox, 1 << 20, () -> { });
        try {
            // planted after the outbox opened: on opening, it deletes files without their run's record
            Files.createSymbolicLink(outbox.resolve("RUN9.jsonl"), outside);
            box.accept(new RunEvent("RUN9", 1, "log", System.currentTimeMillis(), Map.of("line", "secret")));
            assertThat(box.heldRuns()).doesNotContain("RUN9");
            box.accept(new RunEvent("RUN8", 1, "log", System.currentTimeMillis(), Map.of("line", "fine")));
            assertThat(box.heldRuns()).containsExactly("RUN8");
        } finally {
            box.close();
        }
        assertThat(outside).doesNotExist();
    }

    @Test
    void aRecordLeftAsALinkOutOfTheOutboxIsNotReadBack() throws Exception {
        Path outbox = Files.createDirectories(tmp.resolve("data/outbox"));
        Path outside = Files.writeString(tmp.resolve("planted.json"), "{\"id\": \"PLANTED\", \"state\": \"RUNNING\"}");
        Files.createSymbolicLink(outbox.resolve("PLANTED.created.json"), outside);
        AgentOutbox box = new AgentOutbox(outbox, 1 << 20, () -> { });
        try {
            assertThat(box.heldRuns()).isEmpty();
        } finally {
            box.close();
        }
        assertThat(Files.readString(outside)).contains("PLANTED");
    }
}
