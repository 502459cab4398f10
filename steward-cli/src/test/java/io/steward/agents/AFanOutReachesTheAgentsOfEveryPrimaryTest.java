package io.steward.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two primaries on one PostgreSQL database, an agent linked to each: {@code fo-2} to A, {@code fo-1} to B. A fan-out
 * through A (an invoke with {@code on}, or a script's {@code runOn}) reaches both: B starts the child for its agent,
 * handed to it through the database, and A follows it to its end; a cancel of the parent on A reaches the child on
 * B's agent.
 */
class AFanOutReachesTheAgentsOfEveryPrimaryTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    FailoverFixture db;
    StewardServer a;
    StewardServer b;
    StewardClient adminA;
    StewardClient adminB;
    String bId;

    @BeforeEach
    void twoPrimariesWithAnAgentEach() throws Exception {
        db = new FailoverFixture();
        cleanup.add(db);
        a = primary("primary-a");
        Files.createDirectories(dir.resolve("primary-b"));
        Files.copy(dir.resolve("primary-a/secret.key"), dir.resolve("primary-b/secret.key"));
        b = primary("primary-b");
        bId = Files.readString(dir.resolve("primary-b/primary.id")).strip();
        adminA = StewardClient.connect(a.url(), a.adminToken());
        cleanup.add(adminA);
        adminB = StewardClient.connect(b.url(), b.adminToken());
        cleanup.add(adminB);
        agent(a, adminA, "fo-2");
        agent(b, adminB, "fo-1");
        // A learns of B's agent from B's beat in the shared database.
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(adminA.cluster()).contains("fo-1"));
        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primary(String name) throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve(name))
                .withDatabase(db.dbUrl(), FailoverFixture.USER, FailoverFixture.PASSWORD)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode(name, Map.of()));
        cleanup.add(server);
        return server;
    }

    private void agent(StewardServer to, StewardClient admin, String name) throws Exception {
        String join = (String) admin.createToken("join-" + name, "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(List.of(to.url()), join).withName(name).withLabels(Map.of("team", "fo"))
                .withDataDir(dir.resolve(name)).withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("children");
    }

    @Test
    void oneInvokeOnAGlobRunsOnTheAgentsOfBothPrimaries() throws Exception {
        Map<String, Object> ran = adminA.invoke("steps.groovy", null, Map.of("steps", 2, "pause", 10), null,
                Duration.ofSeconds(90), Map.of("on", "fo-*"));

        assertThat(ran.get("state")).as("%s", ran).isEqualTo("SUCCEEDED");
        assertThat(ran.get("result")).isEqualTo(Map.of("fo-1", "all 2 steps on fo-1", "fo-2", "all 2 steps on fo-2"));
        assertThat(children(ran)).extracting(c -> c.get("node")).containsExactly("fo-1", "fo-2");
        assertThat(children(ran)).allSatisfy(c -> assertThat(c).containsEntry("state", "SUCCEEDED"));
        String remote = (String) children(ran).getFirst().get("id");
        assertThat(db.primaryOf(remote)).as("the child on B's agent is B's run").isEqualTo(bId);
        assertThat(db.primaryOf((String) ran.get("id"))).as("the parent stays A's")
                .isEqualTo(Files.readString(dir.resolve("primary-a/primary.id")).strip());
        assertThat(adminA.run(remote)).containsEntry("parent", ran.get("id")).containsEntry("node", "fo-1");
        // Its events, written by B, read through A: every step, whole and in order.
        FailoverFixture.assertWhole(adminA, remote, 2, "fo-1");
        assertThat(db.count("SELECT count(*) FROM runs WHERE node = 'fo-1'")).as("one child started on fo-1").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM child_dispatch")).as("the dispatch row is gone with its child").isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSecretArgReachesTheChildOnTheOtherPrimarysAgentAndNoViewShowsIt() throws Exception {
        String password = "fanout-Secret-Value-8123";
        Path got = Files.createDirectories(dir.resolve("got"));
        adminA.pushScript("login.groovy", """
                new File(args.dir, node.name + '.txt').text = args.password
                args.user + ' on ' + node.name
                """);

        Map<String, Object> ran = adminA.invoke("login.groovy", null, Map.of("user", "ada", "dir", got.toString()), null,
                Duration.ofSeconds(90), Map.of("on", "fo-*", "secretArgs", Map.of("password", password)));

        assertThat(ran.get("state")).as("%s", ran).isEqualTo("SUCCEEDED");
        assertThat(ran.get("result")).isEqualTo(Map.of("fo-1", "ada on fo-1", "fo-2", "ada on fo-2"));
        assertThat(Files.readString(got.resolve("fo-1.txt"))).as("the script on B's agent got the value").isEqualTo(password);
        assertThat(Files.readString(got.resolve("fo-2.txt"))).isEqualTo(password);
        String remote = (String) children(ran).getFirst().get("id");
        assertThat(db.primaryOf(remote)).as("the child on B's agent is B's run").isEqualTo(bId);
        assertThat(ran.toString()).doesNotContain(password);
        assertThat((Map<String, Object>) adminA.run(remote).get("args")).containsEntry("password", "***")
                .containsEntry("user", "ada");
        assertThat((Map<String, Object>) adminB.run(remote).get("args")).containsEntry("password", "***");

        HttpClient http = HttpClient.newHttpClient();
        for (StewardServer primary : List.of(a, b)) {
            for (String path : List.of("/api/v1/runs/" + remote, "/api/v1/runs/" + remote + "/events",
                    "/api/v1/runs/" + remote + "/output", "/api/v1/runs/" + ran.get("id"),
                    "/api/v1/runs/" + ran.get("id") + "/events", "/api/v1/runs?limit=100")) {
                HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(primary.url() + path))
                        .header("Authorization", "Bearer " + primary.adminToken()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(view.statusCode()).as("%s %s", primary.url(), path).isEqualTo(200);
                assertThat(view.body()).as("%s %s", primary.url(), path).doesNotContain(password);
                if (path.equals("/api/v1/runs/" + remote + "/events")) {
                    assertThat(view.body()).as("%s %s", primary.url(), path).contains("\"password\":\"***\"");
                }
            }
        }
        // Sealed under the child's id while it was handed on, dropped once it ended. The parent keeps its own seal, as
        // any run with secret args does until it is pruned; a child on A's agent never had one (the link carries them).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(db.count("SELECT count(*) FROM run_secrets WHERE run_id = '" + remote + "'"))
                    .as("the seal of the child handed to B").isZero();
            assertThat(db.count("SELECT count(*) FROM run_secrets WHERE run_id <> '" + ran.get("id") + "'"))
                    .as("seals other than the parent's").isZero();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aScriptsRunOnReachesTheOtherPrimarysAgentAndAnswersInNodeOrder() {
        adminA.pushScript("fan.groovy", """
                def seen = nodes(args.on).collect { it.name }
                def r = runOn(args.on, 'steps.groovy', [steps: 1, pause: 1])
                [seen: seen, nodes: r.keySet() as List, results: r]
                """);
        for (String on : List.of("all", "team=fo")) {
            Map<String, Object> fan = adminA.invoke("fan.groovy", null, Map.of("on", on), null, Duration.ofSeconds(90));
            assertThat(fan.get("state")).as("%s: %s", on, fan).isEqualTo("SUCCEEDED");
            Map<String, Object> result = (Map<String, Object>) fan.get("result");
            List<String> expected = on.equals("all") ? List.of("primary-a", "fo-1", "fo-2") : List.of("fo-1", "fo-2");
            assertThat(result.get("nodes")).as(on).isEqualTo(expected);
            assertThat(result.get("seen")).as("nodes(%s) in the script: the agents of both primaries", on)
                    .isEqualTo(expected);
            assertThat((Map<String, Object>) result.get("results")).as(on).containsEntry("fo-1", "all 1 steps on fo-1")
                    .containsEntry("fo-2", "all 1 steps on fo-2");
        }
    }

    @Test
    void cancellingTheParentOnOnePrimaryCancelsItsChildOnTheOthersAgent() throws Exception {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        adminA.pushScript("hold.groovy", """
                def p = start('sleep 600')
                new File(args.dir, node.name + '.pid').text = p.pid
                p.waitFor()
                """);
        Map<String, Object> parent = adminA.invoke("hold.groovy", null, Map.of("dir", pids.toString()), null, null,
                Map.of("on", "fo-*"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pids.resolve("fo-1.pid"))
                && Files.exists(pids.resolve("fo-2.pid")));
        long onB = Long.parseLong(Files.readString(pids.resolve("fo-1.pid")).strip());
        assertThat(ThreeAgentsTest.alive(onB)).isTrue();

        adminA.cancel((String) parent.get("id"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Object> run = adminA.run((String) parent.get("id"));
            assertThat(run.get("state")).isEqualTo("CANCELLED");
            assertThat(children(run)).extracting(c -> c.get("node"), c -> c.get("state"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fo-1", "CANCELLED"),
                            org.assertj.core.groups.Tuple.tuple("fo-2", "CANCELLED"));
            assertThat(ThreeAgentsTest.alive(onB)).as("the process on B's agent, pid %d", onB).isFalse();
        });
        assertThat(db.primaryOf((String) children(adminA.run((String) parent.get("id"))).getFirst().get("id")))
                .isEqualTo(bId);
    }

    @Test
    void aChildForAPrimaryGoneBeforeTakingItEndsLostNamingThatPrimary() throws Exception {
        // A primary that published its agent, then stopped beating and never took anything: as a kill -9 leaves it.
        db.executeHere("INSERT INTO nodes (name, state, info, last_seen) VALUES ('ghost-1', 'online', '{}', now())");
        db.executeHere("INSERT INTO primaries (id, url, started_at, seen_at, agents, agent_names) VALUES ('p-ghost', NULL, "
                + "now(), now(), 1, '[\"ghost-1\"]')");

        Map<String, Object> ran = adminA.invoke("steps.groovy", null, Map.of("steps", 1, "pause", 1), null,
                Duration.ofSeconds(90), Map.of("on", "ghost-1,fo-2"));

        assertThat(ran.get("state")).as("%s", ran).isEqualTo("FAILED");
        assertThat(children(ran)).extracting(c -> c.get("node"), c -> c.get("state")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fo-2", "SUCCEEDED"), org.assertj.core.groups.Tuple.tuple("ghost-1", "LOST"));
        Map<String, Object> lost = adminA.run((String) children(ran).getLast().get("id"));
        assertThat(String.valueOf(lost.get("error"))).contains("primary p-ghost", "before it took this child");
        assertThat(db.count("SELECT count(*) FROM child_dispatch")).as("the dispatch row is gone with its child").isZero();
    }
}
