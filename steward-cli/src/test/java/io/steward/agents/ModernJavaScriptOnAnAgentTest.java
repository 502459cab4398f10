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
 * The example of everyday modern JavaScript ({@code examples/modern.js}) gives the same result on the primary and
 * on an agent, and a JavaScript library's functions work on the agent's script threads too.
 */
class ModernJavaScriptOnAnAgentTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

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
    void theModernExampleAndALibraryRunAlikeOnThePrimaryAndOnAnAgent() throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of()));
        cleanup.add(server);
        StewardClient admin = StewardClient.connect(server.url(), server.adminToken());
        cleanup.add(admin);
        String join = (String) admin.createToken("join-js", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(server.url(), join).withName("js-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);

        admin.pushScript("modern.js", Files.readString(EXAMPLES.resolve("modern.js")));
        admin.pushScript("lib/steps.js", Files.readString(EXAMPLES.resolve("lib/steps.js")));
        admin.pushScript("pipeline.js", """
                include('lib/steps.js')
                parallel(['fetch', 'build'], (n) => new Pipeline(n).run()).join(', ') + ' on ' + node.name
                """);

        Map<String, Object> onPrimary = admin.invoke("modern.js", null, Map.of(), null, Duration.ofSeconds(60));
        assertThat(onPrimary.get("state")).isEqualTo("SUCCEEDED");
        Map<String, Object> onAgent = admin.invoke("modern.js", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "js-1"));
        assertThat(onAgent.get("state")).as("%s", onAgent).isEqualTo("SUCCEEDED");
        assertThat((Map<String, Object>) onAgent.get("result")).containsEntry("js-1", onPrimary.get("result"));

        Map<String, Object> pipeline = admin.invoke("pipeline.js", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "js-1"));
        assertThat(pipeline.get("state")).as("%s", pipeline).isEqualTo("SUCCEEDED");
        assertThat((Map<String, Object>) pipeline.get("result"))
                .containsEntry("js-1", "step-fetch, step-build on js-1");
    }
}
