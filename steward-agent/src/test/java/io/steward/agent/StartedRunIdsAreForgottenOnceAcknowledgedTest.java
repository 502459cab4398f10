package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long-lived agent must not keep the id of every run it ever started: an id is held until the primary has
 * acknowledged the run's end, then kept among a bounded number of recent ones, which still stop a repeated
 * {@code run} frame from starting the run again.
 */
class StartedRunIdsAreForgottenOnceAcknowledgedTest {

    @Test
    void idsOfAcknowledgedRunsGoAndARepeatedRunFrameStillStartsNothing(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            IntStream.rangeClosed(1, 20).forEach(i -> primary.send(
                    AgentRunsScriptsForThePrimaryTest.run("R" + i, "quick.groovy", "status.event('x', [:]); 1", Map.of())));
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.frames("ended").size() == 20
                    && agent.outbox().heldRuns().isEmpty());

            assertThat(agent.started().held()).isZero();
            assertThat(agent.started().recent()).isEqualTo(20);

            // R1 again, then a sentinel: once the sentinel has ended, R1's repeat has been handled
            primary.send(AgentRunsScriptsForThePrimaryTest.run("R1", "quick.groovy", "1", Map.of()));
            primary.send(AgentRunsScriptsForThePrimaryTest.run("SENTINEL", "quick.groovy", "1", Map.of()));
            await().atMost(Duration.ofSeconds(20)).until(() -> primary.ended("SENTINEL") != null);
            assertThat(primary.frames("created")).filteredOn(f -> "R1".equals(FakePrimary.run(f).get("id"))).hasSize(1);
            assertThat(primary.frames("refused")).isEmpty();
        }
    }

    @Test
    void onlyTheMostRecentFinishedIdsAreKept() {
        StartedRuns started = new StartedRuns(3);
        for (int i = 1; i <= 5; i++) {
            assertThat(started.claim("R" + i)).isTrue();
        }
        assertThat(started.claim("R5")).as("a live run is never started twice").isFalse();
        for (int i = 1; i <= 5; i++) {
            started.finished("R" + i);
        }
        assertThat(started.held()).isZero();
        assertThat(started.recent()).isEqualTo(3);
        assertThat(started.claim("R5")).as("recently finished").isFalse();
        assertThat(started.claim("R3")).isFalse();
        assertThat(started.claim("R1")).as("old enough to be forgotten").isTrue();
    }
}
