package io.steward.agents;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages into scripts running on a real agent process, sent with the real {@code steward} CLI (claims 34–35), and
 * {@code onCancel} there: the message crosses the agent link, a finished run refuses it clearly, an offline agent
 * makes it a 503 that the script never sees, and a cancel runs the script's clean-up before the kill.
 */
class MessagesIntoScriptsOnAnAgentTest {
    private static final String AGENT = "msg-1";
    @TempDir
    static Path dir;
    static StewardServer primary;
    static StewardClient admin;
    static LinkCutter cutter;
    static AgentProcess agent;
    static final AtomicInteger commands = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        // A grace far longer than any cut here: the run must stay RUNNING, not become LOST, while the link is down.
        primary = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of())
                .withAgents(new ServerConfig.AgentSettings(Duration.ofSeconds(120), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), false)));
        admin = StewardClient.connect(primary.url(), primary.adminToken());
        cutter = new LinkCutter(primary.port());
        String token = (String) admin.createToken("join-" + AGENT, "agent").get("token");
        agent = AgentProcess.agent("http://127.0.0.1:" + cutter.port(), token, AGENT, null, dir.resolve(AGENT));
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        cutter.close();
        admin.close();
        primary.close();
    }

    @BeforeEach
    void agentOnline() {
        cutter.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> agentIs("online"));
    }

    /** Whether the primary lists the agent in that state (it is not listed at all before its first hello). */
    private static boolean agentIs(String state) {
        return admin.nodes().stream().anyMatch(n -> AGENT.equals(n.get("name")) && state.equals(n.get("state")));
    }

    /** What a {@code steward …} command, run as a process of its own against the primary, exited with and printed. */
    record Cli(int exitCode, String output) {
    }

    private static Cli steward(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--server", primary.url(), "--token", primary.adminToken()));
        all.addAll(List.of(args));
        Path log = dir.resolve("cli-" + commands.incrementAndGet() + ".log");
        AgentProcess cli = AgentProcess.start("steward " + args[0], log, all);
        assertThat(cli.process.waitFor(60, TimeUnit.SECONDS)).as("steward %s ended", args[0]).isTrue();
        return new Cli(cli.process.exitValue(), Files.readString(log));
    }

    /** Starts a script on the agent and answers the id of its run there once the script has set {@code ready}. */
    private static String runOnTheAgent(String script, String source, Map<String, Object> args) {
        admin.pushScript(script, source);
        String parent = (String) admin.invoke(script, null, args, null, null, Map.of("on", AGENT)).get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> child(parent) != null
                && Boolean.TRUE.equals(statusValues(child(parent)).get("ready")));
        return child(parent);
    }

    @SuppressWarnings("unchecked")
    private static String child(String parent) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) admin.run(parent).get("children");
        return children == null || children.isEmpty() ? null : (String) children.getFirst().get("id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statusValues(String run) {
        Object status = admin.run(run).get("status");
        return status instanceof Map<?, ?> s && s.get("values") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
    }

    private static Map<String, Object> ended(String run) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(admin.run(run).get("state"))
                && !"QUEUED".equals(admin.run(run).get("state")));
        return admin.run(run);
    }

    @Test
    void aScriptOnAnAgentWaitingOnInboxTakeGetsTheMessageSentWithStewardSend() throws Exception {
        String run = runOnTheAgent("wait-for-go.groovy", "status.set('ready', true); inbox.take(120_000)", Map.of());

        Cli sent = steward("send", run, "{\"deploy\": \"v2\", \"hosts\": [1, 2]}");

        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.output()).contains("sent to run " + run);
        assertThat(ended(run)).containsEntry("state", "SUCCEEDED").containsEntry("node", AGENT)
                .containsEntry("result", Map.of("deploy", "v2", "hosts", List.of(1, 2)));
    }

    @Test
    void onMessageOnAnAgentRunsTheHandlerForEachMessage() {
        String run = runOnTheAgent("handler.groovy", """
                def got = new java.util.concurrent.LinkedBlockingQueue()
                onMessage { msg -> got.put(msg) }
                status.set('ready', true)
                [got.take(), got.take()]
                """, Map.of());

        assertThat(admin.send(run, "first")).containsEntry("delivered", true);
        assertThat(admin.send(run, Map.of("second", 2))).containsEntry("delivered", true);

        // each message's handler runs on a script thread of its own: they may finish in either order
        Map<String, Object> end = ended(run);
        assertThat(end).containsEntry("state", "SUCCEEDED");
        assertThat(new java.util.ArrayList<Object>((List<?>) end.get("result"))).containsExactlyInAnyOrder("first", Map.of("second", 2));
    }

    @Test
    void aMessageToAFinishedAgentRunIsRefusedWithAClearError() throws Exception {
        admin.pushScript("quick.groovy", "'done'");
        String run = child((String) admin.invoke("quick.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", AGENT)).get("id"));
        assertThat(ended(run)).containsEntry("state", "SUCCEEDED");

        Cli late = steward("send", run, "\"too late\"");

        assertThat(late.exitCode()).as(late.output()).isEqualTo(2);
        assertThat(late.output()).contains("error: run " + run + " has already ended as SUCCEEDED: messages go to running runs only");
    }

    @Test
    void whileTheAgentIsOfflineAMessageIs503AndTheScriptNeverGetsIt() throws Exception {
        String run = runOnTheAgent("first-message.groovy", "status.set('ready', true); inbox.take(300_000)", Map.of());
        cutter.cut();
        await().atMost(Duration.ofSeconds(30)).until(() -> agentIs("offline"));

        Cli offline = steward("send", run, "\"while offline\"");

        assertThat(offline.exitCode()).as(offline.output()).isEqualTo(1);
        assertThat(offline.output()).contains("error: node " + AGENT
                + " is offline: the message was not delivered; retry when it is back");
        cutter.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> agentIs("online"));
        assertThat(admin.send(run, "after the link came back")).containsEntry("delivered", true);
        // inbox.take returns the first message the script got: the one sent while offline never reached it.
        assertThat(ended(run)).containsEntry("state", "SUCCEEDED").containsEntry("result", "after the link came back");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.events(run, 0, 1000).events())
                .filteredOn(e -> e.kind().equals("message")).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("message", "after the link came back")));
    }

    @Test
    void onCancelOnAnAgentRunRunsBeforeTheKillAndStewardCancelReportsIt() throws Exception {
        Path report = dir.resolve("on-cancel.txt");
        String run = runOnTheAgent("careful.groovy", """
                def p = start('sleep 600')
                onCancel { new File(args.report).text = "cleaned up on ${node.name}; process alive: ${p.alive}" }
                status.set('ready', true)
                p.waitFor()
                """, Map.of("report", report.toString()));

        Cli cancel = steward("cancel", run);

        assertThat(cancel.exitCode()).as(cancel.output()).isZero();
        assertThat(cancel.output()).contains("cancelling run " + run);
        assertThat(ended(run)).containsEntry("state", "CANCELLED");
        assertThat(report).exists();
        assertThat(Files.readString(report)).isEqualTo("cleaned up on " + AGENT + "; process alive: true");
    }
}
