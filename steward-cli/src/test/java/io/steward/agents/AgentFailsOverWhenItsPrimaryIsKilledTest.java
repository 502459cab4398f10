package io.steward.agents;

import io.steward.client.StewardClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kill -9 variant of {@link AgentFailsOverToAnotherPrimaryTest}, everything a process of its own: two
 * {@code steward server} primaries on one PostgreSQL database (one secret key through {@code STEWARD_SECRET_KEY})
 * and a {@code steward agent --primary A,B}. The primary that started the run is killed with kill -9 mid-run (no
 * goodbye on any socket, events it had received but not stored are gone); the agent moves to the other primary,
 * whose adoption and the agent's replay bring the run to its end there, whole.
 */
class AgentFailsOverWhenItsPrimaryIsKilledTest {
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

    private AgentProcess primary(FailoverFixture db, String name, int port, String secretKey) throws IOException {
        return AgentProcess.start(name, dir.resolve(name + ".log"), List.of("server", "--bind", "127.0.0.1",
                "--port", Integer.toString(port), "--data", dir.resolve(name).toString(), "--name", name,
                "--db", db.dbUrl(), "--db-user", FailoverFixture.USER,
                // a grace longer than the test: the run must end by the agent's report, not by a primary giving up
                "--agent-grace", "5m", "--poll-interval", "1s", "--agent-heartbeat", "1s"),
                Map.of("STEWARD_DB_PASSWORD", FailoverFixture.PASSWORD, "STEWARD_SECRET_KEY", secretKey));
    }

    @Test
    void aRunUnderWayFinishesThroughTheOtherPrimaryAfterAKill9() throws Exception {
        FailoverFixture db = new FailoverFixture();
        cleanup.add(db);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretKey = Base64.getEncoder().encodeToString(key);
        int portA = FailoverFixture.freePort();
        int portB = FailoverFixture.freePort();
        String urlA = "http://127.0.0.1:" + portA;
        String urlB = "http://127.0.0.1:" + portB;
        // one after the other: the first makes the schema, and each its own admin token in it
        AgentProcess a = primary(db, "primary-a", portA, secretKey);
        cleanup.add(a);
        StewardClient adminA = FailoverFixture.healthy(urlA, dir.resolve("primary-a"), a);
        AgentProcess b = primary(db, "primary-b", portB, secretKey);
        cleanup.add(b);
        StewardClient adminB = FailoverFixture.healthy(urlB, dir.resolve("primary-b"), b);
        cleanup.add(adminB);

        String join = (String) adminA.createToken("join-fo", "agent").get("token");
        AgentProcess agent = AgentProcess.agent(urlA + "," + urlB, join, "fo-9", null, dir.resolve("agent"));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(60)).until(() -> adminA.nodes().stream()
                .anyMatch(n -> "fo-9".equals(n.get("name")) && "online".equals(n.get("state"))));

        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);
        // through A, which the agent linked to first: only a primary holding its link can send it the run
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> adminA.invoke("steps.groovy", null,
                Map.of("steps", 1, "pause", 1), null, Duration.ofSeconds(30), Map.of("on", "fo-9")).get("state")
                .equals("SUCCEEDED"));
        String parent = (String) adminA.invoke("steps.groovy", null, Map.of("steps", STEPS, "pause", 250), null, null,
                Map.of("on", "fo-9")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> FailoverFixture.child(adminA, parent) != null);
        String run = FailoverFixture.child(adminA, parent);
        await().atMost(Duration.ofSeconds(30)).until(() -> FailoverFixture.step(adminA, run) >= 4);

        a.kill9();
        adminA.close();

        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> "SUCCEEDED".equals(adminB.run(run).get("state")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the run did not finish through the other primary: " + adminB.run(run)
                    + "\nagent log:\n" + agent.logTail() + "\nprimary-b log:\n" + b.logTail(), e);
        }
        FailoverFixture.assertWhole(adminB, run, STEPS, "fo-9");
        assertThat(db.primaryOf(run)).isEqualTo(Files.readString(dir.resolve("primary-b/primary.id")).strip());

        Map<String, Object> next = adminB.invoke("steps.groovy", null, Map.of("steps", 3, "pause", 10), null,
                Duration.ofSeconds(60), Map.of("on", "fo-9"));
        assertThat(next.get("state")).as("%s", next).isEqualTo("SUCCEEDED");
        assertThat(next.get("result")).isEqualTo(Map.of("fo-9", "all 3 steps on fo-9"));

        // cluster status: the agent is listed once, under B; A, once judged dead, keeps none of it
        String idA = Files.readString(dir.resolve("primary-a/primary.id")).strip();
        String idB = Files.readString(dir.resolve("primary-b/primary.id")).strip();
        await().atMost(Duration.ofSeconds(30)).until(() -> primary(adminB, idA).get("alive").equals(false));
        assertThat(primary(adminB, idA).get("agents")).isEqualTo(Map.of("count", 0, "names", List.of()));
        assertThat(primary(adminB, idB).get("agents")).isEqualTo(Map.of("count", 1, "names", List.of("fo-9")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> primary(StewardClient client, String id) {
        return ((List<Map<String, Object>>) client.cluster().get("primaries")).stream()
                .filter(p -> id.equals(p.get("id"))).findFirst().orElseThrow();
    }
}
