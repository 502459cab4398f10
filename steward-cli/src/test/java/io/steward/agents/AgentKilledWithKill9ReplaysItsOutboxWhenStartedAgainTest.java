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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent process is killed with kill -9 while its link is cut, so the primary has acknowledged none of what
 * its two runs did meanwhile: one ran to its end, the other was still running. A new agent process on the same data
 * folder reports both, and the primary ends up with every event of each, once and in order, the first run's real
 * outcome, and the second run LOST with the reason.
 */
class AgentKilledWithKill9ReplaysItsOutboxWhenStartedAgainTest {
    private static final String REASON = "the agent process restarted while the run was running";

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
    void everyEventArrivesAndEachRunEndsAsItReallyDid() throws Exception {
        // a grace longer than the test: the runs must end by the agent's report, not by the primary giving up
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofMinutes(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
        cleanup.add(server);
        StewardClient admin = StewardClient.connect(server.url(), server.adminToken());
        LinkCutter cutter = new LinkCutter(server.port());
        cleanup.add(cutter);
        String joinToken = (String) admin.createToken("join-phoenix", "agent").get("token");
        Path data = dir.resolve("phoenix-1");
        String url = "http://127.0.0.1:" + cutter.port();
        AgentProcess first = AgentProcess.agent(url, joinToken, "phoenix-1", null, data);
        cleanup.add(first);
        awaitOnline(admin);

        Path gate = dir.resolve("gate");
        Path mark = dir.resolve("mark");
        admin.pushScript("done.groovy", """
                while (!new File(args.gate).exists()) { sleep(20) }
                (1..500).each { status.set('n', it) }
                'finished'
                """);
        admin.pushScript("live.groovy", """
                while (!new File(args.gate).exists()) { sleep(20) }
                (1..300).each { status.set('n', it) }
                new File(args.mark).createNewFile()
                sleep(600_000)
                """);
        Map<String, Object> args = Map.of("gate", gate.toString(), "mark", mark.toString());
        String doneParent = (String) admin.invoke("done.groovy", null, args, null, null, Map.of("on", "phoenix-1")).get("id");
        String liveParent = (String) admin.invoke("live.groovy", null, args, null, null, Map.of("on", "phoenix-1")).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> running(admin, doneParent) && running(admin, liveParent));
        String done = child(admin, doneParent);
        String live = child(admin, liveParent);

        cutter.cut();
        Files.createFile(gate);
        // both runs have done their work into the outbox: one has ended, the other waits forever
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("outbox/" + done + ".ended.json"))
                && Files.exists(mark));
        first.kill9();
        cutter.restore();

        AgentProcess second = AgentProcess.agent(url, joinToken, "phoenix-1", null, data);
        cleanup.add(second);
        try {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(admin.run(done)).containsEntry("state", "SUCCEEDED").containsEntry("result", "finished");
                assertThat(admin.run(live)).containsEntry("state", "LOST");
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the runs did not end: " + admin.run(done) + "\n" + admin.run(live)
                    + "\nagent log:\n" + second.logTail(), e);
        }
        assertThat(((Map<?, ?>) admin.run(live).get("error")).get("message")).isEqualTo(REASON);

        List<Map<String, Object>> doneEvents = allEvents(admin, done);
        assertContiguous(doneEvents);
        assertThat(statusValues(doneEvents)).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());

        List<Map<String, Object>> liveEvents = allEvents(admin, live);
        assertContiguous(liveEvents);
        assertThat(statusValues(liveEvents)).containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
        Map<String, Object> last = liveEvents.getLast();
        assertThat(last).containsEntry("kind", "state");
        assertThat(((Map<?, ?>) last.get("data")).get("state")).isEqualTo("LOST");
        assertThat(((Number) admin.run(live).get("lastSeq")).longValue()).isEqualTo(((Number) last.get("seq")).longValue());
    }

    private static void awaitOnline(StewardClient admin) {
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.nodes().stream()
                .anyMatch(n -> "phoenix-1".equals(n.get("name")) && "online".equals(n.get("state"))));
    }

    private static boolean running(StewardClient admin, String parent) {
        String child = child(admin, parent);
        return child != null && "RUNNING".equals(admin.run(child).get("state"));
    }

    /** Every event of a run as the primary stores it, paged, once the page says the run has ended. */
    private static List<Map<String, Object>> allEvents(StewardClient admin, String run) {
        List<Map<String, Object>> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long after = events.isEmpty() ? 0 : ((Number) events.getLast().get("seq")).longValue();
            var page = admin.events(run, after, 5000);
            for (var e : page.events()) {
                events.add(Map.of("seq", e.seq(), "kind", e.kind(), "data", e.data()));
            }
            return page.ended();
        });
        return events;
    }

    private static void assertContiguous(List<Map<String, Object>> events) {
        assertThat(events).extracting(e -> ((Number) e.get("seq")).longValue())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    }

    private static List<Long> statusValues(List<Map<String, Object>> events) {
        return events.stream().filter(e -> "status".equals(e.get("kind")))
                .map(e -> ((Number) ((Map<?, ?>) e.get("data")).get("value")).longValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static String child(StewardClient admin, String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) admin.run(parent).get("children");
        return children == null || children.isEmpty() ? null : (String) children.getFirst().get("id");
    }
}
