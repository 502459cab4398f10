package io.steward.nodes;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover between two primaries on one PostgreSQL database (docs/cluster.md, "Agents and failover"), where the
 * run never reached the agent: primary A sent it, the agent never showed it, and A went away. The agent joins B
 * with the credential A gave it (tokens live in the shared database); B adopts the QUEUED run — it is B's now — but
 * cannot send it (A kept the request), and the agent's poll answers do not list it: B ends it LOST with the reason
 * instead of leaving it QUEUED for ever.
 */
class ARunThatNeverReachedTheAgentIsLostAfterFailoverTest {
    private static final String URL = System.getenv("STEWARD_TEST_PG_URL");
    private static final String USER = System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test");
    private static final String PASSWORD = System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "steward_test");

    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private TestPrimary primary(String schemaUrl, String name) {
        return new TestPrimary(ServerConfig.defaults(dir.resolve(name)).withDatabase(schemaUrl, USER, PASSWORD)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode(name, Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofMinutes(5), Duration.ofMillis(300),
                        Duration.ofSeconds(1), false)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAdoptedRunEndsLostWithTheReasonAndBelongsToTheNewPrimary() throws Exception {
        if (URL == null || URL.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("STEWARD_TEST_PG_URL is not set: .ci/run must start PostgreSQL (.ci/postgres)");
            }
            Assumptions.abort("no PostgreSQL (run `eval \"$(.ci/postgres --env)\"` first)");
        }
        String schema = "failover_" + System.nanoTime();
        execute("CREATE SCHEMA " + schema);
        cleanup.add(() -> execute("DROP SCHEMA " + schema + " CASCADE"));
        String schemaUrl = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        TestPrimary a = primary(schemaUrl, "primary-a");
        Files.createDirectories(dir.resolve("primary-b"));
        Files.copy(dir.resolve("primary-a/secret.key"), dir.resolve("primary-b/secret.key"));
        TestPrimary b = primary(schemaUrl, "primary-b");
        cleanup.add(b);

        a.push("hello.groovy", "'hello from ' + node.name");
        String join = (String) a.admin.post("/api/v1/tokens", Map.of("name", "join-web-1", "role", "agent"))
                .json().get("token");
        SimulatedAgent onA = new SimulatedAgent(a.server.url(), join, "web-1", Map.of(), run -> "done", false);
        onA.join();
        onA.dropRuns = true; // the run frame arrives, but the agent never shows the run
        Http.Answer invoked = a.admin.post("/api/v1/runs", Map.of("script", "hello.groovy", "on", "web-1"));
        assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
        await().atMost(SimulatedAgent.patience()).until(() -> !onA.received("run").isEmpty());
        String run = (String) onA.received("run").getFirst().get("id");
        String credential = onA.credential();
        onA.close();
        a.close();

        SimulatedAgent onB = new SimulatedAgent(b.server.url(), credential, "web-1", Map.of(), r -> "done", false);
        cleanup.add(onB);
        assertThat(onB.join()).as("the credential from A works on B").containsEntry("state", "online");
        assertThat(b.server.store().runs().primaryOf(run))
                .contains(Files.readString(dir.resolve("primary-b/primary.id")).strip());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(b.admin.get("/api/v1/runs/" + run).json()).containsEntry("state", "LOST"));
        Map<String, Object> lost = b.admin.get("/api/v1/runs/" + run).json();
        assertThat((Map<String, Object>) lost.get("error")).extractingByKey("message").asString()
                .contains("the agent web-1 does not have this run")
                .contains("had not reached the agent from the primary that started it");
        assertThat(onB.received("run")).as("B cannot send what it never had").isEmpty();

        // and a new run through B reaches the agent
        Http.Answer next = b.admin.post("/api/v1/runs?wait=30s", Map.of("script", "hello.groovy", "on", "web-1"));
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json()).containsEntry("state", "SUCCEEDED");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
