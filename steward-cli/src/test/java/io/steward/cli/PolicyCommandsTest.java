package io.steward.cli;

import com.sun.net.httpserver.HttpServer;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code run --retry}, {@code script policy} and {@code notify} through the real CLI against a real primary. */
class PolicyCommandsTest {
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

    private static void push(String name, String source) throws Exception {
        Path f = work.resolve(name);
        Files.writeString(f, source);
        assertThat(cli("script", "push", f.toString(), "--name", name).exitCode()).isZero();
    }

    @Test
    void runWithRetryWaitsForTheLastAttemptAndExitsWithItsOutcome() throws Exception {
        push("twice.groovy", "if (args.retry.attempt < 2) { throw new RuntimeException('not yet') }; 'attempt ' + args.retry.attempt");
        CliRunner run = cli("run", "twice.groovy", "--retry", "3", "--backoff", "100ms", "--wait", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json()).containsEntry("state", "SUCCEEDED").containsEntry("result", "attempt 2");

        CliRunner bad = cli("run", "twice.groovy", "--retry", "0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("retry.attempts must be from 1 to 100").doesNotContain("\tat ");
        CliRunner lonely = cli("run", "twice.groovy", "--backoff", "2s");
        assertThat(lonely.exitCode()).isNotZero();
        assertThat(lonely.err()).contains("--retry");
    }

    @Test
    void scriptPolicyShowsSetsKeepsTheRestAndClears() throws Exception {
        push("limited.groovy", "'ok'");
        assertThat(cli("script", "policy", "limited.groovy").out()).contains("no limit").contains("retry:          none");
        CliRunner set = cli("script", "policy", "limited.groovy", "--max-concurrent", "2", "--when-busy", "reject", "--json");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.json()).containsEntry("maxConcurrent", 2).containsEntry("whenBusy", "reject");
        CliRunner retry = cli("script", "policy", "limited.groovy", "--retry", "3", "--backoff", "2s", "--json");
        assertThat(retry.json()).containsEntry("maxConcurrent", 2);
        assertThat(CliRunner.roundTrip(retry.json().get("retry"))).containsEntry("attempts", 3).containsEntry("backoffMs", 2000);
        assertThat(cli("script", "policy", "limited.groovy").out()).contains("2 (when busy: reject)").contains("3 attempts, backoff 2000ms");

        CliRunner unknown = cli("script", "policy", "nope.groovy", "--max-concurrent", "1");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("nope.groovy");
        CliRunner zero = cli("script", "policy", "limited.groovy", "--max-concurrent", "0");
        assertThat(zero.exitCode()).isNotZero();
        assertThat(zero.err()).contains("maxConcurrent must be a whole number from 1");

        assertThat(cli("script", "policy", "limited.groovy", "--clear").out()).contains("cleared the policy of limited.groovy");
        assertThat(cli("script", "policy", "limited.groovy", "--json").json()).containsEntry("maxConcurrent", null);
    }

    @Test
    void notifyAddListShowAndRemove() throws Exception {
        push("fails.groovy", "throw new RuntimeException('broken')");
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            CliRunner add = cli("notify", "add", "ops", "--on-state", "FAILED,TIMED_OUT", "--script", "fails.groovy", "--webhook", url);
            assertThat(add.exitCode()).as(add.err()).isZero();
            assertThat(add.out()).contains("added notification ops").contains("FAILED,TIMED_OUT").contains(url);
            CliRunner ftp = cli("notify", "add", "x", "--on-state", "FAILED", "--webhook", "ftp://127.0.0.1/x");
            assertThat(ftp.exitCode()).isNotZero();
            assertThat(ftp.err()).contains("http:// or https://");
            CliRunner state = cli("notify", "add", "y", "--on-state", "BROKEN", "--run", "fails.groovy");
            assertThat(state.exitCode()).isNotZero();
            assertThat(state.err()).contains("unknown state 'BROKEN'");
            assertThat(cli("notify", "ls").out()).contains("ops").doesNotContain(" x ").doesNotContain(" y ");

            assertThat(cli("run", "fails.groovy", "--wait").exitCode()).isEqualTo(ExitCodes.FAILED);
            await().atMost(Duration.ofSeconds(15)).until(() -> cli("notify", "show", "ops").out().contains("DELIVERED"));
            String shown = cli("notify", "show", "ops").out();
            assertThat(shown).contains("FAILED").contains("HTTP 503").contains("DELIVERED");
            assertThat(calls.get()).isEqualTo(2);

            assertThat(cli("notify", "rm", "ops").out()).contains("removed notification ops");
            assertThat(cli("notify", "ls", "--json").json()).containsEntry("notifications", List.of());
            assertThat(cli("notify", "rm", "ops").exitCode()).isNotZero();
        } finally {
            receiver.stop(0);
        }
    }
}
