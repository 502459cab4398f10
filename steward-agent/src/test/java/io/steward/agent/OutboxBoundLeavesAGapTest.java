package io.steward.agent;

import io.steward.coordinator.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox on its own: bound, gap, acks, replay after a reconnect, and forgetting a finished run. */
class OutboxBoundLeavesAGapTest {

    static RunEvent event(long seq) {
        return new RunEvent("R", seq, "log", 1_700_000_000_000L + seq, Map.of("line", "x".repeat(40)));
    }

    /** Everything the outbox would send now, frames parsed. */
    static List<Map<String, Object>> drain(AgentOutbox outbox) throws Exception {
        List<Map<String, Object>> frames = new ArrayList<>();
        for (String frame = outbox.next(1024); frame != null; frame = outbox.next(1024)) {
            frames.add(Json.read(frame));
        }
        return frames;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(List<Map<String, Object>> frames) {
        return frames.stream().filter(f -> "events".equals(f.get("type")))
                .flatMap(f -> ((List<Map<String, Object>>) f.get("events")).stream()).toList();
    }

    static long seq(Map<String, Object> event) {
        return ((Number) event.get("seq")).longValue();
    }

    @Test
    void eventsOverTheBoundBecomeOneGapEventOnceSpaceFrees(@TempDir Path data) throws Exception {
        int lineBytes = (Json.event(1, "log", 0, event(1).data()) + "\n").length();
        AgentOutbox outbox = new AgentOutbox(data.resolve("outbox"), lineBytes * 5L + lineBytes / 2, () -> { });
        outbox.runCreated(AgentOutboxFixtures.snapshot("R"));
        for (long seq = 1; seq <= 12; seq++) {
            outbox.accept(event(seq));
        }
        List<Map<String, Object>> first = drain(outbox);
        assertThat(first.get(0)).containsEntry("type", "created");
        assertThat(events(first)).extracting(OutboxBoundLeavesAGapTest::seq).containsExactly(1L, 2L, 3L, 4L, 5L);

        outbox.ack("R", 5); // space again: the gap goes in before anything newer
        outbox.accept(event(13));
        List<Map<String, Object>> second = events(drain(outbox));
        assertThat(second).hasSize(2);
        assertThat(second.get(0)).containsEntry("kind", "gap").containsEntry("seq", 12)
                .containsEntry("data", Map.of("from", 6, "to", 12, "missed", 7));
        assertThat(seq(second.get(1))).isEqualTo(13L);
    }

    @Test
    void theEndWaitsForAPendingGapAndTheRunIsForgottenOnceItsEndIsAcknowledged(@TempDir Path data)
            throws Exception {
        int lineBytes = (Json.event(1, "log", 0, event(1).data()) + "\n").length();
        AgentOutbox outbox = new AgentOutbox(data.resolve("outbox"), lineBytes * 2L + lineBytes / 2, () -> { });
        outbox.runCreated(AgentOutboxFixtures.snapshot("R"));
        for (long seq = 1; seq <= 4; seq++) {
            outbox.accept(event(seq));
        }
        outbox.runEnded(AgentOutboxFixtures.ended("R", 4));
        List<Map<String, Object>> frames = drain(outbox);
        assertThat(frames).extracting(f -> f.get("type")).containsExactly("created", "events");

        outbox.ack("R", 2);
        frames = drain(outbox);
        assertThat(frames).extracting(f -> f.get("type")).containsExactly("events", "ended");
        assertThat(events(frames).get(0)).containsEntry("kind", "gap").containsEntry("seq", 4);
        assertThat(data.resolve("outbox/R.jsonl")).exists();

        outbox.ack("R", 4);
        assertThat(outbox.heldRuns()).isEmpty();
        assertThat(data.resolve("outbox/R.jsonl")).doesNotExist();
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void aNewLinkReplaysOnlyWhatWasNotAcknowledgedAndResendGoesBackToASeq(@TempDir Path data) throws Exception {
        AgentOutbox outbox = new AgentOutbox(data.resolve("outbox"), 1 << 20, () -> { });
        outbox.runCreated(AgentOutboxFixtures.snapshot("R"));
        for (long seq = 1; seq <= 100; seq++) {
            outbox.accept(event(seq));
        }
        assertThat(events(drain(outbox))).hasSize(100);
        outbox.ack("R", 60);

        outbox.rewind();
        List<Map<String, Object>> replay = drain(outbox);
        assertThat(replay.get(0)).containsEntry("type", "events"); // the primary knows the run: no second created
        assertThat(events(replay)).extracting(OutboxBoundLeavesAGapTest::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(61, 100).boxed().toList());

        outbox.resend("R", 90);
        assertThat(events(drain(outbox))).extracting(OutboxBoundLeavesAGapTest::seq).first().isEqualTo(91L);

        outbox.ack("R", 100); // all acknowledged: the dead bytes go
        assertThat(Files.size(data.resolve("outbox/R.jsonl"))).isZero();
    }

    @Test
    void twoRunsTakeTurnsAndEachKeepsItsOrder(@TempDir Path data) throws Exception {
        AgentOutbox outbox = new AgentOutbox(data.resolve("outbox"), 1 << 20, () -> { });
        for (String id : List.of("A", "B")) {
            outbox.runCreated(AgentOutboxFixtures.snapshot(id));
            for (long seq = 1; seq <= 60; seq++) {
                outbox.accept(new RunEvent(id, seq, "log", 0, Map.of("line", "y".repeat(40))));
            }
        }
        List<Map<String, Object>> frames = drain(outbox);
        assertThat(frames.subList(0, 4)).extracting(f -> f.get("type") + ":" + (f.get("id") != null ? f.get("id")
                : ((Map<?, ?>) f.get("run")).get("id"))).containsExactly("created:A", "created:B", "events:A", "events:B");
        for (String id : List.of("A", "B")) {
            assertThat(events(frames.stream().filter(f -> id.equals(f.get("id"))).toList()))
                    .extracting(OutboxBoundLeavesAGapTest::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
        }
    }
}
