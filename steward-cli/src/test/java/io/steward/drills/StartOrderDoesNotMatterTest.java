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

/**
 * Start order does not matter (Salt's {@code reauth} scenario): an agent started while its primary is down keeps
 * trying, joins when the primary comes up, and runs a script. The join token is made on a first start of the
 * primary, which then stops; the agent starts alone, and the primary follows 10 s later (a minute in the full drill).
 */
@Tag(Drills.TAG)
class StartOrderDoesNotMatterTest {
    @TempDir
    Path dir;

    @Test
    void anAgentStartedBeforeItsPrimaryJoinsWhenItComesAndRunsAScript() throws Exception {
        Duration alone = Drills.length(Duration.ofSeconds(10), Duration.ofMinutes(1));
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of(), Map.of())) {
            primary.admin().pushScript("hello.groovy", "'hello from ' + node.name");
            String joinToken = primary.joinToken("early-agent");
            primary.stop();
            try (StewardProcess agent = primary.agent(dir, "early-agent", null, joinToken)) {
                Thread.sleep(alone.toMillis()); // the fault itself: the agent is alone this long
                assertThat(agent.alive()).as("the agent waits for its primary").isTrue();
                long t0 = System.nanoTime();
                primary.startAgain();
                primary.awaitOnline("early-agent");
                Duration joined = Duration.ofNanos(System.nanoTime() - t0);
                StewardClient admin = primary.admin();
                Map<String, Object> parent = admin.invoke("hello.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                        Map.of("on", "early-agent"));
                assertThat(parent).containsEntry("state", "SUCCEEDED");
                String child = (String) Invariants.children(parent).getFirst().get("id");
                // the parent may answer a moment before the child's own record shows its end (seen once: RUNNING)
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.run(child))
                        .containsEntry("state", "SUCCEEDED").containsEntry("result", "hello from early-agent"));
                Drills.figure("start order: agent first", "agent alone (s)", alone.toSeconds());
                Drills.figure("start order: agent first", "joined after the primary's start (ms)", joined.toMillis());
            }
        }
    }
}
