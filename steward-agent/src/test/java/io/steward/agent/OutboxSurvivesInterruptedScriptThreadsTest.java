package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancel interrupts a run's script threads, and those threads still report (thread ended, the final state). Their
 * writes must neither fail nor break the run's outbox file for the writes after them: an interruptible file channel
 * would be closed by the first such write, every later event of the run would become a gap, and the run's end would
 * never reach the primary.
 */
class OutboxSurvivesInterruptedScriptThreadsTest {
    @Test
    void anEventFromAnInterruptedThreadIsKeptAndSoIsEverythingAfterIt(@TempDir Path data) throws Exception {
        AgentOutbox outbox = new AgentOutbox(data.resolve("outbox"), 1 << 20, () -> { });
        outbox.runCreated(AgentOutboxFixtures.snapshot("R"));
        outbox.accept(OutboxBoundLeavesAGapTest.event(1));

        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread cancelled = Thread.ofVirtual().unstarted(() -> {
            Thread.currentThread().interrupt();
            outbox.accept(OutboxBoundLeavesAGapTest.event(2));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        cancelled.start();
        cancelled.join();
        outbox.accept(OutboxBoundLeavesAGapTest.event(3));
        outbox.runEnded(AgentOutboxFixtures.ended("R", 3));

        var frames = OutboxBoundLeavesAGapTest.drain(outbox);
        assertThat(OutboxBoundLeavesAGapTest.events(frames)).extracting(OutboxBoundLeavesAGapTest::seq)
                .containsExactly(1L, 2L, 3L);
        assertThat(frames.getLast()).containsEntry("type", "ended");
        assertThat(stillInterrupted).as("the thread's interrupt is left for the run's own stop").isTrue();
    }
}
