package io.steward.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failing half of {@link AnInvokeOnAnAgentOfAnotherPrimaryIsHandedToItTest}: an invoke on A whose {@code on} names
 * only an agent linked to B, while B still counts as alive in the primaries table but cannot be asked (killed with
 * kill -9 within the lease TTL, or never registered a URL). A answers 502 {@code primary_unreachable}, naming B and
 * what to do, and keeps nothing of the invoke: no run, no sealed secret args.
 */
class AnInvokeOnAnAgentOfAnUnreachablePrimaryIsRefusedTest {
    /** Long enough that the killed primary is still alive in the table when the invoke comes, on a busy machine. */
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primaryA(FailoverFixture db) throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary-a"))
                .withDatabase(db.dbUrl(), FailoverFixture.USER, FailoverFixture.PASSWORD)
                .withLeases(new ServerConfig.LeaseSettings(TTL, Duration.ofSeconds(1)))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary-a", Map.of()));
        cleanup.add(server);
        return server;
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInvokeForTheAgentOfAPrimaryKilledWithKill9Is502AndLeavesNothing() throws Exception {
        FailoverFixture db = new FailoverFixture();
        cleanup.add(db);
        StewardServer a = primaryA(db);
        int portB = FailoverFixture.freePort();
        String urlB = "http://127.0.0.1:" + portB;
        // B in a JVM of its own, so that it can be killed with kill -9: no goodbye, its row stays alive for the TTL.
        AgentProcess b = AgentProcess.start("primary-b", dir.resolve("primary-b.log"), List.of("server", "--bind",
                "127.0.0.1", "--port", Integer.toString(portB), "--data", dir.resolve("primary-b").toString(), "--name",
                "primary-b", "--db", db.dbUrl(), "--db-user", FailoverFixture.USER, "--lease-ttl", TTL.toSeconds() + "s",
                "--lease-beat", "1s"), Map.of("STEWARD_DB_PASSWORD", FailoverFixture.PASSWORD));
        cleanup.add(b);
        StewardClient adminA = StewardClient.connect(a.url(), a.adminToken());
        cleanup.add(adminA);
        StewardClient adminB = FailoverFixture.healthy(urlB, dir.resolve("primary-b"), b);
        cleanup.add(adminB);
        String bId = Files.readString(dir.resolve("primary-b/primary.id")).strip();
        String join = (String) adminB.createToken("join-un", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(List.of(urlB), join).withName("un-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(60)).until(agent::connected);
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(adminA.cluster()).contains("un-1"));
        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);
        // While B answers, A hands the invoke to it: the 502 below is B's being gone, not a hand-off that never works.
        Map<String, Object> handed = adminA.invoke("steps.groovy", null, Map.of("steps", 1, "pause", 1), null,
                Duration.ofSeconds(60), Map.of("on", "un-1"));
        assertThat(handed.get("state")).as("%s", handed).isEqualTo("SUCCEEDED");

        b.kill9();
        assertThat((List<Map<String, Object>>) adminA.cluster().get("primaries")).as("B is still alive in the table")
                .anySatisfy(p -> assertThat(p).containsEntry("id", bId).containsEntry("alive", true)
                        .containsEntry("url", urlB));
        long runs = db.count("SELECT count(*) FROM runs");

        HttpResponse<String> refused = invoke(a, "un-1");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
        Map<?, ?> error = (Map<?, ?>) JSON.readValue(refused.body(), Map.class).get("error");
        assertThat(error.get("code")).isEqualTo("primary_unreachable");
        assertThat((String) error.get("message")).contains("primary " + bId, urlB, "did not answer (could not connect)",
                "invoke through that primary").doesNotContain("null");
        assertThat(refused.body()).doesNotContain("Exception", "\tat ");
        assertThat(db.count("SELECT count(*) FROM runs")).as("no run was created").isEqualTo(runs);
        assertThat(db.count("SELECT count(*) FROM run_secrets")).as("no sealed secret args stay").isZero();
    }

    @Test
    void anInvokeForTheAgentOfAPrimaryWithoutAUrlIs502AndLeavesNothing() throws Exception {
        FailoverFixture db = new FailoverFixture();
        cleanup.add(db);
        StewardServer a = primaryA(db);
        // A primary that beats but never registered a URL (one started without a reachable address).
        db.executeHere("INSERT INTO nodes (name, state, info, last_seen) VALUES ('nourl-1', 'online', '{}', now())");
        db.executeHere("INSERT INTO primaries (id, url, started_at, seen_at, agents, agent_names) VALUES ('p-nourl', "
                + "NULL, now(), now(), 1, '[\"nourl-1\"]')");
        StewardClient adminA = StewardClient.connect(a.url(), a.adminToken());
        cleanup.add(adminA);
        adminA.pushScript("steps.groovy", FailoverFixture.STEPS);

        HttpResponse<String> refused = invoke(a, "nourl-*");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
        Map<?, ?> error = (Map<?, ?>) JSON.readValue(refused.body(), Map.class).get("error");
        assertThat(error.get("code")).isEqualTo("primary_unreachable");
        assertThat((String) error.get("message")).contains("nourl-1", "primary p-nourl", "has not registered its URL",
                "invoke through that primary");
        assertThat(db.count("SELECT count(*) FROM runs")).as("no run was created").isZero();
        assertThat(db.count("SELECT count(*) FROM run_secrets")).as("no sealed secret args stay").isZero();
    }

    /** The raw invoke, as curl would send it, with a secret arg: sealed before A knows where the run goes. */
    private static HttpResponse<String> invoke(StewardServer a, String on) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.url() + "/api/v1/runs?wait=30s"))
                .header("Authorization", "Bearer " + a.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"script\":\"steps.groovy\",\"args\":{\"steps\":1,"
                        + "\"pause\":1},\"secretArgs\":{\"password\":\"unreachable-Secret-55\"},\"on\":\"" + on + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
