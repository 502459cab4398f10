package io.steward.agents;

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
 * Runs on two real agent processes contend for one mutex, which lives on the primary: never both inside, also while
 * one agent's link is cut and restored mid-way; and a holder whose agent is killed with kill -9 gives the lock up when
 * the primary declares its run LOST, so the other agent gets it.
 */
class OneMutexAcrossTwoAgentsTest {
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
    void neverBothInsideAndAKilledHoldersLockIsReleased() throws Exception {
        // A grace a cut of 1.5 s (and the agent's reconnect after it) stays well within, so that the cut agent's
        // run is not declared LOST (which would rightly release its lock under it); short enough that the killed
        // agent's run is LOST within seconds.
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(10), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
        cleanup.add(server);
        StewardClient admin = StewardClient.connect(server.url(), server.adminToken());
        String joinToken = (String) admin.createToken("join", "agent").get("token");
        LinkCutter cutter = new LinkCutter(server.port());
        cleanup.add(cutter);
        AgentProcess a1 = AgentProcess.agent("http://127.0.0.1:" + cutter.port(), joinToken, "lab-a1", null, dir.resolve("a1"));
        cleanup.add(a1);
        AgentProcess a2 = AgentProcess.agent(server.url(), joinToken, "lab-a2", null, dir.resolve("a2"));
        cleanup.add(a2);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.nodes().stream()
                .filter(n -> "online".equals(n.get("state"))).count() == 3);

        admin.pushScript("contend.groovy", """
                def clashes = 0
                (1..args.rounds).each {
                    lock('shared-db', 60000) {
                        def mine = vars.cas('inside', null, node.name)
                        if (!mine) clashes++
                        sleep(5)
                        if (mine) vars.remove('inside')
                    }
                }
                [clashes: clashes, node: node.name]
                """);
        String parent = (String) admin.invoke("contend.groovy", null, Map.of("rounds", 40), null, null,
                Map.of("on", "lab-a1,lab-a2")).get("id");
        // cut one agent's link while both contend; holds and releases go again when it is back
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.vars("global").stream().anyMatch(v -> "inside".equals(v.get("name"))));
        cutter.cut();
        Thread.sleep(1500); // the cut must last a while: there is nothing to wait for on the primary's side
        cutter.restore();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(admin.run(parent).get("state")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the contenders did not end: " + admin.run(parent) + "\n" + a1.logTail(), e);
        }
        Map<String, Object> end = admin.run(parent);
        assertThat(end).as(String.valueOf(end)).containsEntry("state", "SUCCEEDED");
        assertThat(new java.util.TreeSet<Object>(((Map<?, ?>) end.get("result")).keySet())).containsExactly("lab-a1", "lab-a2");
        for (Object r : ((Map<?, ?>) end.get("result")).values()) {
            assertThat(((Map<?, ?>) r).get("clashes")).isEqualTo(0);
        }
        assertThat((List<?>) admin.locks().get("locks")).isEmpty();

        Path mark = dir.resolve("holding");
        admin.pushScript("hold.groovy", "lock('shared-db') { new File(args.mark).createNewFile(); sleep(600_000) }");
        admin.pushScript("grab.groovy", "lock('shared-db', 60000) { 'got it on ' + node.name }");
        String holdParent = (String) admin.invoke("hold.groovy", null, Map.of("mark", mark.toString()), null, null,
                Map.of("on", "lab-a2")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(mark));
        String grabParent = (String) admin.invoke("grab.groovy", null, Map.of(), null, null, Map.of("on", "lab-a1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> ((List<?>) ((Map<?, ?>) ((List<?>) admin.locks().get("locks"))
                .getFirst()).get("waiters")).size() == 1);
        a2.kill9();
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(admin.run(grabParent).get("state")));
        assertThat(admin.run(grabParent).get("result")).isEqualTo(Map.of("lab-a1", "got it on lab-a1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(admin.run(holdParent).get("state")));
        assertThat(admin.run(holdParent).toString()).contains("LOST");
    }
}
