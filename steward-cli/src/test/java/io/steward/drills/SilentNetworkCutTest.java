package io.steward.drills;

import io.steward.client.StewardClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A silent network cut — no FIN, no RST, packets just stop (JENKINS-70414) — made by pausing the peer with SIGSTOP:
 * its sockets stay open, so only a heartbeat can tell. Both sides must notice within their configured timeouts: the
 * primary takes an agent unheard for {@code --agent-grace} for gone; an agent takes a primary silent for three
 * heartbeats ({@code --agent-heartbeat}, which the primary hands its agents) for gone and connects again.
 */
@Tag(Drills.TAG)
class SilentNetworkCutTest {
    private static final Duration GRACE = Duration.ofSeconds(4);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void aPausedAgentIsMarkedGoneWithinTheGraceAndRejoinsWhenResumed() throws Exception {
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--agent-grace", GRACE.toSeconds() + "s"), Map.of());
             StewardProcess agent = primary.agent(dir, "paused-agent", null)) {
            primary.awaitOnline("paused-agent");
            StewardClient admin = primary.admin();
            agent.pause();
            long paused = System.nanoTime();
            // the primary's duty checks every poll interval (1 s): allow the grace, two intervals and a slow machine
            await().atMost(GRACE.plusSeconds(6)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !"online".equals(admin.node("paused-agent").get("state")));
            Duration detected = Duration.ofNanos(System.nanoTime() - paused);
            assertThat(detected).as("time to notice the silent agent").isGreaterThanOrEqualTo(GRACE.minusSeconds(1));
            agent.resume();
            primary.awaitOnline("paused-agent");
            Drills.figure("silent cut: agent paused", "noticed by the primary (ms, grace " + GRACE.toMillis() + ")",
                    detected.toMillis());
        }
    }

    @Test
    void anAgentNoticesAPausedPrimaryWithinThreeHeartbeatsAndRejoinsWhenResumed() throws Exception {
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--agent-grace", "30s",
                "--agent-heartbeat", HEARTBEAT.toMillis() + "ms"), Map.of());
             StewardProcess agent = primary.agent(dir, "patient-agent", null)) {
            primary.awaitOnline("patient-agent");
            primary.process().pause();
            long paused = System.nanoTime();
            try {
                await().atMost(HEARTBEAT.multipliedBy(3).plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> agent.logText().contains("silent for 3 heartbeats"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the agent did not notice the silent primary:\n" + agent.logTail(), e);
            }
            Duration detected = Duration.ofNanos(System.nanoTime() - paused);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.logText().contains("reconnecting to"));
            primary.process().resume();
            primary.awaitOnline("patient-agent");
            Drills.figure("silent cut: primary paused", "noticed by the agent (ms, 3 heartbeats of "
                    + HEARTBEAT.toMillis() + ")", detected.toMillis());
        }
    }
}
