package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent dies (kill -9) with events its primary has not acknowledged: one run that had ended, one still running.
 * A new agent on the same data reports both in its hello and sends everything after the last ack; the run that had
 * ended keeps its real outcome, the one that was running ends as LOST with the reason.
 *
 * <p>The kill is simulated by copying the first agent's data directory while it runs: the copy is exactly what a
 * killed process leaves on disk (what it wrote is in the page cache; nothing is flushed or closed), possibly with a
 * line cut short. The first agent is then closed normally, which does not touch the copy.
 */
class AgentRestartedAfterACrashReplaysItsOutboxTest {
    private static final String DONE = "DONE1";
    private static final String LIVE = "LIVE1";
    private static final long ACKED = 100;

    @TempDir
    Path dir;

    @Test
    void theNewAgentReplaysWhatWasNotAcknowledgedAndEndsTheInterruptedRunAsLost() throws Exception {
        Path first = dir.resolve("first");
        Path killed = dir.resolve("killed");
        Path mark = dir.resolve("mark");
        FakePrimary before = new FakePrimary().start();
        try (before; Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(before, first))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            before.ackCap.set(ACKED);
            before.send(AgentRunsScriptsForThePrimaryTest.run(DONE, "done.groovy",
                    "(1..300).each { status.event('n', [i: it]) }; 'finished'", Map.of()));
            before.send(AgentRunsScriptsForThePrimaryTest.run(LIVE, "live.groovy", """
                    (1..200).each { status.event('n', [i: it]) }
                    new File(args.mark).createNewFile()
                    sleep(600_000)
                    """, Map.of(), Map.of("mark", mark.toString())));
            await().atMost(Duration.ofSeconds(30)).until(() -> before.ended(DONE) != null && Files.exists(mark)
                    && agent.outbox().ackedSeq(DONE) == ACKED && agent.outbox().ackedSeq(LIVE) == ACKED);
            copy(first, killed);
        }

        try (FakePrimary primary = new FakePrimary().start();
             Agent again = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, killed))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.ended(DONE) != null
                    && primary.ended(LIVE) != null);

            assertThat(primary.frames("hello").getFirst().get("runs")).asList()
                    .extracting(r -> ((Map<?, ?>) r).get("id") + " " + ((Map<?, ?>) r).get("state"))
                    .containsExactly(DONE + " SUCCEEDED", LIVE + " LOST");
            assertThat(primary.authorizations.getFirst()).isEqualTo("Bearer " + FakePrimary.CREDENTIAL);

            Map<String, Object> done = primary.ended(DONE);
            assertThat(done).containsEntry("state", "SUCCEEDED").containsEntry("result", "finished");
            assertEveryEventArrivedOnce(before, primary, DONE, done);
            assertThat(primary.events(DONE)).filteredOn(e -> "event".equals(e.get("kind"))).hasSize(300 - (int) eventsUpTo(before, DONE));

            Map<String, Object> lost = primary.ended(LIVE);
            assertThat(lost).containsEntry("state", "LOST");
            assertThat(((Map<?, ?>) lost.get("error")).get("message")).isEqualTo(InterruptedRun.REASON);
            assertThat(lost.get("threads")).asList().isEmpty();
            assertEveryEventArrivedOnce(before, primary, LIVE, lost);
            Map<String, Object> last = primary.events(LIVE).getLast();
            assertThat(last).containsEntry("kind", "state");
            assertThat(((Map<?, ?>) last.get("data")).get("state")).isEqualTo("LOST");
            assertThat(((Map<?, ?>) ((Map<?, ?>) last.get("data")).get("error")).get("message"))
                    .isEqualTo(InterruptedRun.REASON);
            assertThat(again.coordinator().snapshot(LIVE)).as("nothing of the old run runs again").isEmpty();

            // acknowledged to their ends: forgotten, files and all
            await().atMost(Duration.ofSeconds(10)).until(() -> again.outbox().heldRuns().isEmpty());
            try (Stream<Path> left = Files.list(killed.resolve("outbox"))) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly(AckLog.NAME);
            }
            assertThat(again.started().held()).isZero();
        }
    }

    /**
     * The old primary holds the events up to the ack; the new one got exactly those after it, once each: together,
     * every seq up to the end's {@code lastSeq}.
     */
    private static void assertEveryEventArrivedOnce(FakePrimary before, FakePrimary after, String run,
                                                    Map<String, Object> end) {
        long lastSeq = ((Number) end.get("lastSeq")).longValue();
        List<Long> replayed = after.received.get(run);
        assertThat(replayed).doesNotHaveDuplicates();
        assertThat(replayed.getFirst()).as("the replay starts after the last ack").isEqualTo(ACKED + 1);
        TreeSet<Long> all = new TreeSet<>(replayed);
        before.events(run).stream().map(e -> ((Number) e.get("seq")).longValue()).filter(s -> s <= ACKED)
                .forEach(all::add);
        assertThat(new ArrayList<>(all)).containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
    }

    /** How many of the script's own events the old primary had acknowledged. */
    private static long eventsUpTo(FakePrimary before, String run) {
        return before.events(run).stream().filter(e -> ((Number) e.get("seq")).longValue() <= ACKED)
                .filter(e -> "event".equals(e.get("kind"))).count();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (Files.exists(file)) {
                    Files.copy(file, target);
                }
            }
        }
    }
}
