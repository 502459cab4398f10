package io.steward.agent;

import io.steward.coordinator.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.steward.agent.OutboxBoundLeavesAGapTest.drain;
import static io.steward.agent.OutboxBoundLeavesAGapTest.events;
import static io.steward.agent.OutboxBoundLeavesAGapTest.seq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox on its own across a crash: a second outbox on the files the first left (never closed, with a line cut
 * short) sends what was not acknowledged, in order, and ends the run that had not ended as LOST.
 */
class OutboxReopensWhatACrashLeftTest {

    private static RunEvent event(String run, long seq) {
        return new RunEvent(run, seq, "log", 1_700_000_000_000L + seq, Map.of("line", "line " + seq));
    }

    @Test
    void afterTheLastAckComesEverythingAndTheInterruptedRunEndsAsLost(@TempDir Path data) throws Exception {
        Path dir = data.resolve("outbox");
        AgentOutbox crashed = new AgentOutbox(dir, 1 << 20, () -> { });
        crashed.runCreated(AgentOutboxFixtures.snapshot("A"));
        LongStream.rangeClosed(1, 10).forEach(s -> crashed.accept(event("A", s)));
        crashed.runCreated(AgentOutboxFixtures.snapshot("B"));
        LongStream.rangeClosed(1, 3).forEach(s -> crashed.accept(event("B", s)));
        crashed.runEnded(AgentOutboxFixtures.ended("B", 3));
        drain(crashed);
        crashed.ack("A", 4);
        // the process dies while writing A's 11th event: half a line, and the outbox is never closed
        Files.writeString(dir.resolve("A.jsonl"), "{\"seq\":11,\"kind\":\"lo", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        AgentOutbox again = new AgentOutbox(dir, 1 << 20, () -> { });
        assertThat(again.heldRuns()).containsExactly("A", "B");
        assertThat(Stream.of("A", "B").map(again::record).map(r -> r.get("state") + " " + r.get("lastSeq")))
                .containsExactly("LOST 11", "SUCCEEDED 3");
        again.rewind(); // as a new link does
        List<Map<String, Object>> frames = drain(again);

        // A: the primary acknowledged up to 4, so it has A's created record; then 5..10 and the LOST end at 11
        assertThat(frames.stream().filter(f -> "created".equals(f.get("type"))).map(f -> FakePrimary.run(f).get("id")))
                .containsExactly("B");
        List<Map<String, Object>> eventsOfA = events(frames.stream().filter(f -> "A".equals(f.get("id"))).toList());
        assertThat(eventsOfA).extracting(OutboxBoundLeavesAGapTest::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(5, 11).boxed().toList());
        Map<String, Object> lost = eventsOfA.getLast();
        assertThat(lost).containsEntry("kind", "state");
        assertThat((Map<String, Object>) data(lost)).containsEntry("state", "LOST");
        assertThat(data(lost).get("error")).isEqualTo(Map.of("script", "t.groovy", "line", 0, "message",
                InterruptedRun.REASON));
        List<Map<String, Object>> ends = frames.stream().filter(f -> "ended".equals(f.get("type")))
                .map(FakePrimary::run).toList();
        assertThat(ends).extracting(r -> r.get("id") + " " + r.get("state") + " " + r.get("lastSeq"))
                .containsExactlyInAnyOrder("A LOST 11", "B SUCCEEDED 3");
        assertThat(events(frames.stream().filter(f -> "B".equals(f.get("id"))).toList()))
                .extracting(OutboxBoundLeavesAGapTest::seq).containsExactly(1L, 2L, 3L);
        assertThat(frames.indexOf(frames.stream().filter(f -> "ended".equals(f.get("type"))
                && "A".equals(FakePrimary.run(f).get("id"))).findFirst().orElseThrow()))
                .as("A's end follows its events").isGreaterThan(frames.indexOf(frames.stream()
                        .filter(f -> "A".equals(f.get("id"))).reduce((x, y) -> y).orElseThrow()));

        // acknowledged to their ends: forgotten, and only the ack log stays
        again.ack("A", 11);
        again.ack("B", 3);
        assertThat(again.heldRuns()).isEmpty();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(AckLog.NAME);
        }
        again.close();

        // and a third start finds nothing to report
        AgentOutbox third = new AgentOutbox(dir, 1 << 20, () -> { });
        assertThat(third.heldRuns()).isEmpty();
        third.close();
        crashed.close();
    }

    @Test
    void eventsDroppedWhileTheOutboxWasFullBecomeTheGapEventTheCrashKeptFromBeingWritten(@TempDir Path data)
            throws Exception {
        Path dir = data.resolve("outbox");
        int lineBytes = (Json.event(1, "log", 0, event("C", 1).data()) + "\n").length();
        AgentOutbox crashed = new AgentOutbox(dir, lineBytes * 3L + lineBytes / 2, () -> { });
        crashed.runCreated(AgentOutboxFixtures.snapshot("C"));
        LongStream.rangeClosed(1, 6).forEach(s -> crashed.accept(event("C", s)));
        crashed.runEnded(AgentOutboxFixtures.ended("C", 6));
        assertThat(drain(crashed).stream().map(f -> f.get("type"))).as("the end waits for the gap event")
                .doesNotContain("ended");

        AgentOutbox again = new AgentOutbox(dir, 1 << 20, () -> { });
        again.rewind();
        List<Map<String, Object>> frames = drain(again);
        List<Map<String, Object>> events = events(frames);
        assertThat(events).extracting(OutboxBoundLeavesAGapTest::seq).containsExactly(1L, 2L, 3L, 6L);
        assertThat(events.getLast()).containsEntry("kind", "gap");
        assertThat(data(events.getLast())).isEqualTo(Map.of("from", 4, "to", 6, "missed", 3));
        assertThat(frames.getLast()).containsEntry("type", "ended");
        again.close();
        crashed.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }
}
