package io.steward.cli;

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

/** The real CLI against a real primary on loopback: push, run, poll, follow, logs, cancel, tokens, in Groovy and JS. */
class CliAgainstARealPrimaryTest {
    @TempDir
    static Path data;
    @TempDir
    static Path work;
    static StewardServer server;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        token = server.adminToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliRunner cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = token;
        return CliRunner.run(all);
    }

    private static String file(String name, String source) throws Exception {
        Path f = work.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, source);
        return f.toString();
    }

    @Test
    void pushRunWaitAndPollInGroovyAndJavaScript() throws Exception {
        assertThat(cli("script", "push", file("cli/hello.groovy", "status.set('who', args.who); 'hi ' + args.who"),
                "--name", "cli/hello.groovy").exitCode()).isZero();
        assertThat(cli("script", "push", file("cli/hello.js", "status.set('who', args.who); 'hi ' + args.who;"),
                "--name", "cli/hello.js").exitCode()).isZero();

        for (String script : List.of("cli/hello.groovy", "cli/hello.js")) {
            CliRunner run = cli("run", script, "--arg", "who=cli", "--wait", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            Map<String, Object> json = run.json();
            assertThat(json).containsEntry("state", "SUCCEEDED").containsEntry("result", "hi cli").containsEntry("script", script);
            CliRunner status = cli("status", (String) json.get("id"), "--json");
            assertThat(status.json()).containsKeys("id", "script", "version", "state", "args", "shared", "status",
                    "result", "error", "node", "children", "startedAt", "endedAt");
            assertThat(cli("status", (String) json.get("id")).out()).contains("SUCCEEDED");
        }
        CliRunner list = cli("script", "list", "--json");
        assertThat(list.out()).contains("cli/hello.groovy", "cli/hello.js");
    }

    @Test
    void followStreamsEventsAndOutputThenExitsWithTheRunsCode() throws Exception {
        cli("script", "push", file("cli/steps.groovy", """
                status.progress(0.5, 'half')
                exec('echo from-a-process')
                status.event('done', [ok: true])
                throw new IllegalStateException('on purpose')
                """), "--name", "cli/steps.groovy");
        CliRunner follow = cli("run", "cli/steps.groovy", "--follow");
        assertThat(follow.exitCode()).isEqualTo(1);
        assertThat(follow.out()).contains("from-a-process", "half", "done", "FAILED", "on purpose");

        List<?> runs = (List<?>) cli("runs", "--script", "cli/steps.groovy", "--json").json().get("runs");
        String id = (String) ((Map<?, ?>) runs.getFirst()).get("id");
        assertThat(cli("logs", id).out()).contains("from-a-process");
    }

    @Test
    void cancelStopsARunAndWaitExitsWithThree() throws Exception {
        cli("script", "push", file("cli/forever.groovy", "sleep(600_000)"), "--name", "cli/forever.groovy");
        CliRunner started = cli("run", "cli/forever.groovy", "--json");
        String id = (String) started.json().get("id");
        assertThat(cli("cancel", id).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> cli("status", id, "--json").json().get("state").equals("CANCELLED"));
        CliRunner again = cli("cancel", id);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already ended");
    }

    @Test
    void sendDeliversAMessageToAScriptWaitingOnItsInbox() throws Exception {
        cli("script", "push", file("cli/inbox.groovy", "inbox.take(30_000)"), "--name", "cli/inbox.groovy");
        String id = (String) cli("run", "cli/inbox.groovy", "--json").json().get("id");
        CliRunner sent = cli("send", id, "{\"go\": [1, 2]}");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("sent to run " + id);
        await().atMost(Duration.ofSeconds(20)).until(() -> cli("status", id, "--json").json().get("state").equals("SUCCEEDED"));
        assertThat(cli("status", id, "--json").json()).containsEntry("result", Map.of("go", java.util.List.of(1, 2)));
        CliRunner late = cli("send", id, "\"late\"");
        assertThat(late.exitCode()).isEqualTo(2);
        assertThat(late.err()).contains("already ended as SUCCEEDED");
        CliRunner bad = cli("send", id, "not json");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("not valid JSON");
    }

    @Test
    void tokensServerInfoAndNodes() {
        CliRunner created = cli("token", "create", "--role", "viewer", "--name", "cli-viewer", "--json");
        Map<String, Object> token = created.json();
        assertThat(token.keySet()).containsExactlyInAnyOrder("name", "role", "token");
        CliRunner denied = CliRunner.run("run", "cli/hello.groovy", "--server", server.url(), "--token", (String) token.get("token"));
        assertThat(denied.exitCode()).isEqualTo(2);
        assertThat(denied.err()).contains("viewer").doesNotContain("at io.steward");
        assertThat(cli("server-info", "--json").json()).containsKeys("host", "os", "cpus", "memoryBytes", "version");
        assertThat(cli("nodes", "--json").out()).contains(server.coordinator().node().name());
        assertThat(cli("token", "revoke", "cli-viewer").exitCode()).isZero();
    }

    @Test
    void scopedTokensWithAnExpiryAreCreatedAndListedWithScopeExpiryAndLastUse() {
        CliRunner created = cli("token", "create", "--role", "operator", "--name", "cli-deployer",
                "--scripts", "deploy/*", "--nodes", "env=lab", "--expires", "7d", "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        Map<String, Object> token = created.json();
        assertThat(token).containsEntry("scripts", "deploy/*").containsEntry("nodes", "env=lab").containsKey("expiresAt");
        CliRunner used = CliRunner.run("runs", "--server", server.url(), "--token", (String) token.get("token"));
        assertThat(used.exitCode()).as(used.err()).isZero();

        CliRunner list = cli("token", "list");
        assertThat(list.out()).contains("SCOPE", "EXPIRES", "LAST USED", "scripts=deploy/* nodes=env=lab", "never");
        String row = list.out().lines().filter(l -> l.startsWith("cli-deployer")).findFirst().orElseThrow();
        assertThat(row).doesNotContain("never");
        assertThat(cli("token", "list", "--json").out()).contains("\"lastUsedAt\"", "\"expiresAt\"");

        CliRunner bad = cli("token", "create", "--role", "viewer", "--name", "cli-bad", "--expires", "soon");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("expires").doesNotContain("at io.steward");
        assertThat(cli("token", "revoke", "cli-deployer").exitCode()).isZero();
    }

    @Test
    void aWrongTokenIsRefusedClearly() {
        CliRunner r = CliRunner.run("runs", "--server", server.url(), "--token", "stw_nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown or revoked");
    }
}
