package io.steward.cli;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain shell steps of a Groovy run report into it with the real {@code steward} command (claims 30, 36): the run's
 * process gets STEWARD_SERVER, STEWARD_RUN_ID and STEWARD_TOKEN, and {@code steward status …}, {@code shared put} and
 * {@code run} act on that run and no other.
 */
class ProcessesCallBackIntoTheirRunTest {
    /** Runs args.cmd with the test's steward first on PATH; fails the run if it fails; holds while args.hold. */
    private static final String STEP = """
            def r = exec(args.cmd, [env: [PATH: args.path]])
            if (r.exitCode != 0) throw new RuntimeException('the step failed: ' + r.stderr)
            if (args.hold) inbox.take(60_000)
            r.stdout
            """;

    @TempDir
    static Path data;
    @TempDir
    static Path bin;
    static StewardServer server;
    static StewardClient admin;
    static String path;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        admin = StewardClient.connect(server.url(), server.adminToken());
        admin.pushScript("step.groovy", STEP);
        admin.pushScript("child.groovy", "'child of ' + args.x");
        path = StewardOnPath.install(bin);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    private static Map<String, Object> step(String cmd, boolean hold) {
        Map<String, Object> args = Map.of("cmd", cmd, "path", path, "hold", hold);
        return hold ? admin.invoke("step.groovy", null, args, null, null)
                : admin.invoke("step.groovy", null, args, null, Duration.ofSeconds(90));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void statusAndProgressFromAShellStepShowInTheRun() {
        Map<String, Object> run = step("steward status set phase building; steward status progress 0.5 half", false);
        assertThat(run.get("state")).as(String.valueOf(run.get("error"))).isEqualTo("SUCCEEDED");
        Map<String, Object> status = map(admin.run((String) run.get("id")).get("status"));
        assertThat(map(status.get("values"))).containsEntry("phase", "building");
        assertThat(map(status.get("progress"))).containsEntry("fraction", 0.5).containsEntry("message", "half");
    }

    @Test
    void eventsAndSharedDataFromAShellStepShowInTheRun() {
        Map<String, Object> run = step("steward status event built --data '{\"files\": 3}' && "
                + "steward shared put artifact app.tar.gz && steward shared put count 3", false);
        assertThat(run.get("state")).as(String.valueOf(run.get("error"))).isEqualTo("SUCCEEDED");
        String id = (String) run.get("id");
        assertThat(map(admin.run(id).get("shared"))).containsEntry("artifact", "app.tar.gz").containsEntry("count", 3);
        assertThat(admin.events(id, 0, null).events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("event");
            assertThat(e.data()).isEqualTo(Map.of("name", "built", "data", Map.of("files", 3)));
        });
    }

    @Test
    void theTokenIsRefusedOnAnotherRunAndAfterItsRunEnds() throws Exception {
        String other = (String) step("true", true).get("id");
        Path token = bin.resolve("token-" + System.nanoTime());
        Map<String, Object> run = step("printf %s \"$STEWARD_TOKEN\" > " + token
                + "; steward status set x 1 --run " + other + " 2>&1; echo exit=$?", false);
        assertThat(run.get("state")).as(String.valueOf(run.get("error"))).isEqualTo("SUCCEEDED");
        assertThat((String) run.get("result")).contains("belongs to run " + run.get("id")).contains("exit=2");

        CliRunner late = CliRunner.run("status", "set", "x", "1", "--run", (String) run.get("id"),
                "--server", server.url(), "--token", Files.readString(token));
        assertThat(late.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(late.err()).contains("only while the run");
        admin.send(other, "done");
    }

    @Test
    void stewardRunInAStepStartsAChildOfTheRun() {
        Map<String, Object> run = step("steward run child.groovy --arg x=7 --wait --json", false);
        assertThat(run.get("state")).as(String.valueOf(run.get("error"))).isEqualTo("SUCCEEDED");
        Map<String, Object> child = CliRunner.object((String) run.get("result"));
        assertThat(child).containsEntry("parent", run.get("id")).containsEntry("state", "SUCCEEDED")
                .containsEntry("result", "child of 7");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.run((String) child.get("id"))).containsEntry("parent", run.get("id")));
        assertThat((List<?>) admin.run((String) run.get("id")).get("children"))
                .anySatisfy(c -> assertThat(map(c)).containsEntry("id", child.get("id")));
    }

    @Test
    void statusRunStillShowsARunAndTheNewCommandsExplainThemselves() {
        String id = (String) step("true", false).get("id");
        CliRunner shown = CliRunner.run("status", id, "--server", server.url(), "--token", token());
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).contains(id);
        assertThat(CliRunner.run("status", "set", "--help").out()).contains("VALUE").contains("STEWARD_RUN_ID");
        assertThat(CliRunner.run("status", "progress", "--help").out()).contains("FRACTION");
        assertThat(CliRunner.run("shared", "put", "--help").out()).contains("KEY");
        CliRunner noRun = CliRunner.run("status", "set", "a", "b", "--server", server.url());
        assertThat(noRun.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noRun.err()).contains("STEWARD_RUN_ID").contains("--run ID");
        assertThat(CliRunner.run("status", "progress", "2", "--run", id, "--server", server.url()).err())
                .contains("FRACTION must be a number from 0 to 1");
    }

    private static String token() {
        try {
            return server.adminToken();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
