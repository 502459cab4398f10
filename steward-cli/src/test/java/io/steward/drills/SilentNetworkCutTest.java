package io.steward.drills;

import io.steward.client.StewardClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

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
 * <p>
 * Both cases share one primary and one agent (starting them is most of the drill's time): first the agent is paused
 * and resumed, then, once it is back, the primary. The order matters: a primary resumed after a pause longer than the
 * grace may take the agent for gone once before its new link is in, which would spoil the first case's timing.
 */
@Tag(Drills.TAG)
@Isolated // alone, when the drills run side by side: its timings are what it checks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SilentNetworkCutTest {
    private static final Duration GRACE = Duration.ofSeconds(4);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @TempDir
    static Path dir;

    private static PrimaryProcess primary;
    private static StewardProcess agent;

    @BeforeAll
    static void startAPrimaryAndAnAgent() throws Exception {
        primary = PrimaryProcess.start(dir, List.of("--agent-grace", GRACE.toSeconds() + "s",
                "--agent-heartbeat", HEARTBEAT.toMillis() + "ms"), Map.of());
        agent = primary.agent(dir, "silent-agent", null);
        primary.awaitOnline("silent-agent");
    }

    @AfterAll
    static void stopThem() throws Exception {
        try (PrimaryProcess p = primary; StewardProcess a = agent) {
            // closed in reverse order: the agent, then the primary
        }
    }

    @Test
    @Order(1)
    void aPausedAgentIsMarkedGoneWithinTheGraceAndRejoinsWhenResumed() throws Exception {
        primary.awaitOnline("silent-agent");
        StewardClient admin = primary.admin();
        agent.pause();
        long paused = System.nanoTime();
        // the primary's duty checks every second at most: allow the grace, two checks and a slow machine
        await().atMost(GRACE.plusSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"online".equals(admin.node("silent-agent").get("state")));
        Duration detected = Duration.ofNanos(System.nanoTime() - paused);
        assertThat(detected).as("time to notice the silent agent").isGreaterThanOrEqualTo(GRACE.minusSeconds(1));
        agent.resume();
        primary.awaitOnline("silent-agent");
        Drills.figure("silent cut: agent paused", "noticed by the primary (ms, grace " + GRACE.toMillis() + ")",
                detected.toMillis());
    }

    @Test
    @Order(2)
    void anAgentNoticesAPausedPrimaryWithinThreeHeartbeatsAndRejoinsWhenResumed() throws Exception {
        primary.awaitOnline("silent-agent");
        long welcomes = welcomes();
        int logBefore = agent.logText().length();
        primary.process().pause();
        long paused = System.nanoTime();
        try {
            await().atMost(HEARTBEAT.multipliedBy(3).plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> agent.logText().substring(logBefore).contains("silent for 3 heartbeats"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent did not notice the silent primary:\n" + agent.logTail(), e);
        }
        Duration detected = Duration.ofNanos(System.nanoTime() - paused);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.logText().substring(logBefore).contains("reconnecting to"));
        primary.process().resume();
        // rejoined: welcomed on a new link (a resumed primary may first take the old one for gone), and online
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> welcomes() > welcomes);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent did not rejoin the resumed primary:\n" + agent.logTail(), e);
        }
        primary.awaitOnline("silent-agent");
        Drills.figure("silent cut: primary paused", "noticed by the agent (ms, 3 heartbeats of "
                + HEARTBEAT.toMillis() + ")", detected.toMillis());
    }

    private static long welcomes() {
        return agent.logText().lines().filter(l -> l.contains("welcomed by the primary")).count();
    }
}
