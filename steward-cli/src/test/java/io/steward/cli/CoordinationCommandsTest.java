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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code steward var|lock|queue|pool} against a real primary: text and --json, exit codes, and what scripts see. */
class CoordinationCommandsTest {
    @TempDir
    static Path data;
    @TempDir
    static Path work;
    static StewardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliRunner cli(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.adminToken();
        return CliRunner.run(all);
    }

    @Test
    void varsSetFromTheCliAreWhatScriptsReadAndCompareAndSetExitsOneWhenItLoses() throws Exception {
        assertThat(cli("var", "set", "release", "{\"v\": 42}").out()).contains("set global/release (version 1)");
        assertThat(cli("var", "set", "greeting", "hello there", "--ttl", "1h").exitCode()).isZero();
        assertThat(cli("var", "get", "release").out().strip()).isEqualTo("{\"v\":42}");
        assertThat(cli("var", "get", "release", "--json").json()).containsEntry("version", 1).containsEntry("value", Map.of("v", 42));

        CliRunner lost = cli("var", "set", "release", "43", "--if-version", "7");
        assertThat(lost.exitCode()).isEqualTo(1);
        assertThat(lost.err()).contains("not set").contains("is at version 1, not 7");
        assertThat(cli("var", "set", "release", "43", "--if-version", "1").exitCode()).isZero();

        Path script = work.resolve("readvar.groovy");
        Files.writeString(script, "vars.get('release') + vars.get('greeting').size()");
        assertThat(cli("script", "push", script.toString(), "--name", "readvar.groovy").exitCode()).isZero();
        assertThat(cli("run", "readvar.groovy", "--wait", "--json").json()).containsEntry("result", 43 + 11);

        assertThat(cli("var", "ls").out()).contains("global", "release", "greeting", "hello there");
        assertThat(cli("var", "rm", "greeting").exitCode()).isZero();
        CliRunner gone = cli("var", "get", "greeting");
        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.err()).contains("no variable 'greeting'");
        CliRunner bad = cli("var", "set", "../etc/passwd", "x");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("is not allowed").doesNotContain("Exception");
    }

    @Test
    void queuesAndPoolsAndEventsFromTheCli() throws Exception {
        assertThat(cli("queue", "put", "builds", "{\"ref\": \"main\"}").exitCode()).isZero();
        assertThat(cli("queue", "put", "builds", "plain text").exitCode()).isZero();
        assertThat(cli("queue", "ls").out()).contains("builds").contains("2");
        assertThat(cli("queue", "take", "builds").out().strip()).isEqualTo("{\"ref\":\"main\"}");
        assertThat(cli("queue", "take", "builds", "--json").json()).containsEntry("taken", true).containsEntry("message", "plain text");
        CliRunner empty = cli("queue", "take", "builds", "--wait", "50ms");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).contains("no message in builds within 50ms");

        assertThat(cli("pool", "add", "phones", "pixel", "--value", "{\"serial\": \"X1\"}").out()).contains("1 entries, 1 free");
        assertThat(cli("pool", "add", "phones", "iphone").exitCode()).isZero();
        assertThat(cli("pool", "ls").out()).contains("phones").contains("2");
        assertThat(cli("pool", "status", "phones").out()).contains("pixel", "iphone", "{\"serial\":\"X1\"}");
        assertThat(cli("pool", "rm", "phones", "iphone").exitCode()).isZero();
        assertThat((List<?>) cli("pool", "status", "phones", "--json").json().get("entries")).hasSize(1);
        assertThat(cli("pool", "rm", "phones", "iphone").exitCode()).isEqualTo(2);

        assertThat(cli("lock", "post", "deployed").out()).contains("event deployed: posted");
        assertThat(cli("lock", "ls").out()).contains("deployed", "event", "posted");
        assertThat(cli("lock", "reset", "deployed", "--json").json()).containsEntry("posted", false);
        assertThat(cli("lock", "--help").out()).contains("ls", "post", "reset", "pulse");
    }
}
