package io.steward.agents;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.cli.StewardOnPath;
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
 * A shell step of a run on an agent reports with the real {@code steward} command while the agent's link to the
 * primary is cut: the agent takes the callback, and the primary shows it once the link is back (claims 30, 36).
 */
class ProcessOnAnAgentCallsBackWhileTheLinkIsCutTest {
    /** Waits for the go file, then runs the step with the test's steward on PATH. */
    private static final String STEP = """
            while (exec(['test', '-e', args.go]).exitCode != 0) { sleep(20) }
            def r = exec(args.cmd, [env: [PATH: args.path]])
            if (r.exitCode != 0) throw new RuntimeException('the step failed: ' + r.stderr)
            r.stdout
            """;

    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    StewardServer server;
    StewardClient admin;
    LinkCutter cutter;
    Agent agent;

    /** A primary, and an agent named cb-1 that reaches it through a link cutter. */
    private void primaryAndAgent() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(60), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
        cleanup.add(server);
        admin = StewardClient.connect(server.url(), server.adminToken());
        cleanup.add(admin);
        cutter = new LinkCutter(server.port());
        cleanup.add(cutter);
        String join = (String) admin.createToken("join-cb", "agent").get("token");
        agent = Agent.start(AgentConfig.of("http://127.0.0.1:" + cutter.port(), join).withName("cb-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);
        admin.pushScript("step.groovy", STEP);
    }

    @Test
    void theStatusOfAStepThatRanWhileTheLinkWasDownShowsOnThePrimaryWhenItIsBack() throws Exception {
        primaryAndAgent();
        Path go = dir.resolve("go");
        Path done = dir.resolve("done");
        String cmd = "steward status set phase building && steward status progress 0.5 half"
                + " && steward shared put where \"$STEWARD_SERVER\" && touch " + done;
        String parent = (String) admin.invoke("step.groovy", null, Map.of("go", go.toString(), "cmd", cmd,
                "path", StewardOnPath.install(Files.createDirectories(dir.resolve("bin")))), null, null,
                Map.of("on", "cb-1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> child(admin, parent) != null
                && "RUNNING".equals(admin.run(child(admin, parent)).get("state")));
        String child = child(admin, parent);

        cutter.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.connected());
        Files.writeString(go, "");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done));
        assertThat(map(map(admin.run(child).get("status")).get("values"))).doesNotContainKey("phase");

        cutter.restore();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Object> run = admin.run(child);
            assertThat(run.get("state")).isEqualTo("SUCCEEDED");
            assertThat(map(map(run.get("status")).get("values"))).containsEntry("phase", "building");
            assertThat(map(map(run.get("status")).get("progress"))).containsEntry("fraction", 0.5)
                    .containsEntry("message", "half");
            // the step called the agent, not the primary
            assertThat((String) map(run.get("shared")).get("where")).startsWith("http://127.0.0.1:")
                    .isNotEqualTo(server.url());
        });
        assertThat(admin.events(child, 0, null).events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("status");
            assertThat(e.data()).isEqualTo(Map.of("name", "phase", "value", "building"));
        });
    }

    @Test
    void stewardRunInAStepOnAnAgentStartsAChildOfThatRunOnThePrimary() throws Exception {
        primaryAndAgent();
        admin.pushScript("child.groovy", "'child of ' + args.x");
        Path go = Files.writeString(dir.resolve("go-now"), "");
        String parent = (String) admin.invoke("step.groovy", null, Map.of("go", go.toString(),
                "cmd", "steward run child.groovy --arg x=7 --wait --json",
                "path", StewardOnPath.install(Files.createDirectories(dir.resolve("bin")))), null, null,
                Map.of("on", "cb-1")).get("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> child(admin, parent) != null
                && "SUCCEEDED".equals(admin.run(child(admin, parent)).get("state")));
        String onAgent = child(admin, parent);
        Map<String, Object> grandchild = map(new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue((String) admin.run(onAgent).get("result"), Map.class));
        assertThat(grandchild).containsEntry("parent", onAgent).containsEntry("node", "primary")
                .containsEntry("state", "SUCCEEDED").containsEntry("result", "child of 7");
        assertThat(admin.run((String) grandchild.get("id"))).containsEntry("parent", onAgent);
    }

    @SuppressWarnings("unchecked")
    private static String child(StewardClient admin, String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) admin.run(parent).get("children");
        return children == null || children.isEmpty() ? null : (String) children.getFirst().get("id");
    }
}
