package io.steward.gateway;

import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} on a real primary: authenticated, Prometheus text, and numbers that match what happened. */
class MetricsEndpointTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    SimulatedAgent agent;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 64 * 1024)));
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        primary.close();
    }

    @Test
    void metricsNeedAToken() {
        Http.Answer anonymous = primary.admin.as(null).get("/metrics");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("unauthorized");
        assertThat(primary.admin.as("not-a-token").get("/metrics").status()).isEqualTo(401);
        assertThat(primary.withRole("viewer").get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void theStoresConnectionPoolIsMeteredAtTheSizeItWasGiven() {
        Scrape defaults = Scrape.of(primary.admin);
        assertThat(defaults.value("steward_db_connections_max")).isEqualTo(8);
        assertThat(defaults.value("steward_db_connections_waiting")).isZero();

        try (TestPrimary small = new TestPrimary(ServerConfig.defaults(dir.resolve("small")).withDatabasePool(3)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 64 * 1024)))) {
            Scrape scrape = Scrape.of(small.admin);
            assertThat(scrape.value("steward_db_connections_max")).isEqualTo(3);
            assertThat(scrape.value("steward_db_connections", "state=active")
                    + scrape.value("steward_db_connections", "state=idle")).isBetween(1.0, 3.0);
        }
    }

    @Test
    void runsByStateEventsAndAgentsAreCounted() {
        primary.push("ok.groovy", "status.event('step', 1); 'fine'");
        primary.push("fails.groovy", "throw new IllegalStateException('no')");
        primary.push("holds.groovy", "inbox.take(60000)");
        for (int i = 0; i < 3; i++) {
            assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "ok.groovy")).json())
                    .containsEntry("state", "SUCCEEDED");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "fails.groovy")).json())
                    .containsEntry("state", "FAILED");
        }
        String held = (String) primary.admin.post("/api/v1/runs", Map.of("script", "holds.groovy")).json().get("id");

        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-sim", "role", "agent"))
                .json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "sim-1", Map.of("role", "sim"), run -> "ok", false);
        agent.join();

        // The primary polls an agent as soon as it joins; its answer is the first poll round trip.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape scrape = Scrape.of(primary.admin);
            assertThat(scrape.value("steward_agent_poll_latency_seconds_count")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.value("steward_events_stored_total")).isGreaterThanOrEqualTo(3 * 4 + 2 * 3 + 2);
        });
        Scrape scrape = Scrape.of(primary.admin);
        assertThat(scrape.value("steward_runs_ended_total", "state=succeeded")).isEqualTo(3);
        assertThat(scrape.value("steward_runs_ended_total", "state=failed")).isEqualTo(2);
        assertThat(scrape.value("steward_runs_ended_total", "state=cancelled")).isEqualTo(0);
        assertThat(scrape.value("steward_runs_live", "state=running")).isEqualTo(1);
        assertThat(scrape.value("steward_runs_live", "state=queued")).isEqualTo(0);
        assertThat(scrape.value("steward_agents_connected")).isEqualTo(1);
        assertThat(scrape.value("steward_agent_joins_total")).isEqualTo(1);
        assertThat(scrape.value("steward_agent_reconnects_total")).isEqualTo(0);
        assertThat(scrape.value("steward_events_dropped_total")).isEqualTo(0);
        assertThat(scrape.value("steward_store_writer_queue")).isGreaterThanOrEqualTo(0);
        assertThat(scrape.value("steward_coordination_queue_messages")).isEqualTo(0);
        assertThat(scrape.value("steward_limit_refusals_total")).isEqualTo(0);
        assertThat(scrape.value("steward_http_requests_seconds_count", "route=/api/v1/runs", "method=POST",
                "status=201")).isEqualTo(6);

        primary.admin.post("/api/v1/runs/" + held + "/cancel", Map.of());
        agent.close();
        agent = null;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape after = Scrape.of(primary.admin);
            assertThat(after.value("steward_runs_live", "state=running")).isEqualTo(0);
            assertThat(after.value("steward_runs_ended_total", "state=cancelled")).isEqualTo(1);
            assertThat(after.value("steward_agents_connected")).isEqualTo(0);
        });
    }
}
