package io.steward.agents;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing lost when links, agents or the primary fail. */
class AgentFaultsTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    /** A short grace makes kill -9 tests quick; link-cut tests need one longer than the agent's reconnect backoff. */
    private ServerConfig primaryConfig(int port, Duration grace) {
        return ServerConfig.defaults(dir.resolve("primary")).withGateway(new GatewayConfig("127.0.0.1", port, 1 << 20))
                .withNode("primary", Map.of())
                .withAgents(new ServerConfig.AgentSettings(grace, Duration.ofSeconds(1), Duration.ofSeconds(1), false));
    }

    private StewardServer primary(int port) throws Exception {
        return primary(port, Duration.ofSeconds(3));
    }

    private StewardServer primary(int port, Duration grace) throws Exception {
        StewardServer server = StewardServer.start(primaryConfig(port, grace));
        cleanup.add(server);
        return server;
    }

    private AgentProcess agent(String url, StewardClient admin, String name) throws Exception {
        String token = (String) admin.createToken("join-" + name + "-" + System.nanoTime(), "agent").get("token");
        AgentProcess agent = AgentProcess.agent(url, token, name, "role=test", dir.resolve(name));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.nodes().stream()
                .anyMatch(n -> name.equals(n.get("name")) && "online".equals(n.get("state"))));
        return agent;
    }

    private static StewardClient admin(StewardServer server) throws Exception {
        return StewardClient.connect(server.url(), server.adminToken());
    }

    @Test
    void cuttingTheLinkWhileARunEmits10000EventsLosesAndRepeatsNone() throws Exception {
        StewardServer server = primary(0, Duration.ofSeconds(60));
        StewardClient admin = admin(server);
        LinkCutter cutter = new LinkCutter(server.port());
        cleanup.add(cutter);
        AgentProcess agent = agent("http://127.0.0.1:" + cutter.port(), admin, "cut-1");
        admin.pushScript("chatty.groovy", "(1..10000).each { status.set('n', it); if (it % 500 == 0) sleep(100) }; 'done'");
        String parent = (String) admin.invoke("chatty.groovy", null, Map.of(), null, null, Map.of("on", "cut-1")).get("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> child(admin, parent) != null
                && ((Number) admin.events(child(admin, parent), 0, 10_000).events().size()).intValue() > 1500);
        cutter.cut();
        Thread.sleep(1500); // the link stays down while the run goes on: this is the fault, not a wait for a result
        cutter.restore();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(admin.run(parent).get("state")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the fan-out did not end: parent " + admin.run(parent) + "\nchild "
                    + admin.run(child(admin, parent)) + "\nagent log:\n" + agent.logTail(), e);
        }

        String child = child(admin, parent);
        List<Long> values = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        // Pages come from the store, which the group commit fills a moment after the run's end is known.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long after = seqs.isEmpty() ? 0 : seqs.getLast();
            var page = admin.events(child, after, 5000);
            for (var e : page.events()) {
                seqs.add(e.seq());
                if (e.kind().equals("status")) {
                    values.add(((Number) e.data().get("value")).longValue());
                }
            }
            return page.ended();
        });
        assertThat(values).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 10_000).boxed().toList());
        assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        assertThat(admin.run(child)).containsEntry("state", "SUCCEEDED").containsEntry("result", "done");
    }

    @Test
    void anAgentKilledWithKill9LosesItsRunsAfterTheGracePeriod() throws Exception {
        StewardServer server = primary(0);
        StewardClient admin = admin(server);
        AgentProcess doomed = agent(server.url(), admin, "doomed-1");
        admin.pushScript("forever.groovy", "sleep(600_000)");
        String parent = (String) admin.invoke("forever.groovy", null, Map.of(), null, null, Map.of("on", "doomed-1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> child(admin, parent) != null
                && "RUNNING".equals(admin.run(child(admin, parent)).get("state")));
        doomed.kill9();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(admin.run(child(admin, parent))).containsEntry("state", "LOST");
            assertThat(admin.run(parent)).containsEntry("state", "FAILED");
            assertThat(admin.node("doomed-1")).containsEntry("state", "offline");
        });
    }

    @Test
    void afterAKill9OfThePrimaryAgentsRejoinAndFinishedRunsCarryTheirRealOutcome() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("primary");
        AgentProcess primaryProcess = AgentProcess.start("primary", dir.resolve("primary.log"), List.of("server",
                "--port", Integer.toString(port), "--data", data.toString(), "--name", "primary",
                "--agent-grace", "3s", "--poll-interval", "1s"));
        cleanup.add(primaryProcess);
        String url = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("server.url")));
        StewardClient admin = StewardClient.connect(url, Files.readString(data.resolve("admin.token")).strip());
        agent(url, admin, "survivor-1");
        admin.pushScript("slow.groovy", "sleep(4000); 'finished while the primary was down'");
        String parent = (String) admin.invoke("slow.groovy", null, Map.of(), null, null, Map.of("on", "survivor-1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> child(admin, parent) != null);
        String child = child(admin, parent);

        primaryProcess.kill9();
        StewardServer again = primary(port);
        StewardClient after = admin(again);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(after.node("survivor-1")).containsEntry("state", "online");
            assertThat(after.run(child)).containsEntry("state", "SUCCEEDED")
                    .containsEntry("result", "finished while the primary was down");
        });
        assertThat(after.run(parent)).containsEntry("state", "LOST");
    }

    @SuppressWarnings("unchecked")
    private static String child(StewardClient admin, String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) admin.run(parent).get("children");
        return children == null || children.isEmpty() ? null : (String) children.getFirst().get("id");
    }
}
