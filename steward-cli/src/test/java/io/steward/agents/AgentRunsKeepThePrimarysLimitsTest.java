package io.steward.agents;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Limits;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A script on a real agent is held to its primary's event limits, which the agent learns from the primary's
 * welcome: an oversized status value fails the call there with the same error as on the primary, and a fast
 * publisher is slowed to the primary's rate with every event kept.
 */
class AgentRunsKeepThePrimarysLimitsTest {
    private static final int RATE = 100;

    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sizeAndRateLimitsHoldOnTheAgent() throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20, new Limits(0, 0, 0, 2000, RATE)))
                .withNode("primary", Map.of()));
        cleanup.add(server);
        StewardClient admin = StewardClient.connect(server.url(), server.adminToken());
        cleanup.add(admin);
        String join = (String) admin.createToken("join-lim", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(server.url(), join).withName("lim-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);

        admin.pushScript("big.groovy", """
                try { status.set('big', 'x' * 5000); 'kept' } catch (IllegalArgumentException e) { e.message }""");
        Map<String, Object> big = admin.invoke("big.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "lim-1"));
        assertThat(big.get("state")).as("%s", big).isEqualTo("SUCCEEDED");
        assertThat(((Map<String, Object>) big.get("result")).get("lim-1").toString())
                .contains("status value 'big' is 5002 bytes as JSON", "limit for one event is 2000 bytes");

        int events = 3 * RATE;
        admin.pushScript("chatty.groovy", "(1..%d).each { status.event('tick', it) }; 'done'".formatted(events));
        Map<String, Object> parent = admin.invoke("chatty.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "lim-1"));
        assertThat(parent.get("state")).as("%s", parent).isEqualTo("SUCCEEDED");
        String child = (String) ((List<Map<String, Object>>) parent.get("children")).getFirst().get("id");
        Map<String, Object> run = admin.run(child);
        // A second's worth at once, the rest at the rate: two seconds at least.
        assertThat(((Number) run.get("durationMs")).longValue()).isGreaterThanOrEqualTo((events - RATE) * 1000L / RATE * 9 / 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.events(child, 0, 10_000).events().stream()
                .filter(e -> e.kind().equals("event")).count() == events);
    }
}
