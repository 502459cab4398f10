package io.steward.agents;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two primaries on one PostgreSQL database and an agent given both URLs. A run started through the first primary
 * is stepping along on the agent when that primary goes away: the agent moves to the second, replays what the
 * first had not acknowledged, and the second adopts the run, which finishes there whole (every event once and in
 * order, the output complete) and belongs to the second primary. New runs through the second primary reach the
 * agent too.
 */
class AgentFailsOverToAnotherPrimaryTest {
    private static final int STEPS = 24;

    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primary(FailoverFixture db, String name) throws Exception {
        // a grace longer than the test: the run must end by the agent's report, never by a primary giving up on it
        return StewardServer.start(ServerConfig.defaults(dir.resolve(name)).withDatabase(db.dbUrl(), FailoverFixture.USER,
                        FailoverFixture.PASSWORD).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode(name, Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofMinutes(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
    }

    @Test
    void aRunUnderWayFinishesThroughTheSecondPrimaryWhenTheFirstGoesAway() throws Exception {
        FailoverFixture db = new FailoverFixture();
        cleanup.add(db);
        StewardServer a = primary(db, "primary-a");
        // the primaries seal secret args with one key: the second gets the first one's
        Files.createDirectories(dir.resolve("primary-b"));
        Files.copy(dir.resolve("primary-a/secret.key"), dir.resolve("primary-b/secret.key"));
        StewardServer b = primary(db, "primary-b");
        cleanup.add(b);
        StewardClient adminA = StewardClient.connect(a.url(), a.adminToken());
        StewardClient adminB = StewardClient.connect(b.url(), b.adminToken());
        cleanup.add(adminB);

        String join = (String) adminA.createToken("join-fo", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(List.of(a.url(), b.url()), join).withName("fo-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);

        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);
        String parent = (String) adminA.invoke("steps.groovy", null, Map.of("steps", STEPS, "pause", 250), null, null,
                Map.of("on", "fo-1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> FailoverFixture.child(adminA, parent) != null);
        String run = FailoverFixture.child(adminA, parent);
        await().atMost(Duration.ofSeconds(30)).until(() -> FailoverFixture.step(adminA, run) >= 4);
        String startedBy = db.primaryOf(run);
        assertThat(startedBy).isEqualTo(Files.readString(dir.resolve("primary-a/primary.id")).strip());

        a.close();
        adminA.close();

        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(adminB.run(run).get("state")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the run did not finish through the second primary: " + adminB.run(run), e);
        }
        assertThat(FailoverFixture.step(adminB, run)).isEqualTo(STEPS);
        FailoverFixture.assertWhole(adminB, run, STEPS, "fo-1");
        assertThat(db.primaryOf(run)).isEqualTo(Files.readString(dir.resolve("primary-b/primary.id")).strip())
                .isNotEqualTo(startedBy);

        Map<String, Object> next = adminB.invoke("steps.groovy", null, Map.of("steps", 3, "pause", 10), null,
                Duration.ofSeconds(60), Map.of("on", "fo-1"));
        assertThat(next.get("state")).as("%s", next).isEqualTo("SUCCEEDED");
        assertThat(next.get("result")).isEqualTo(Map.of("fo-1", "all 3 steps on fo-1"));
    }
}
