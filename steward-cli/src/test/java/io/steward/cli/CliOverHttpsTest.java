package io.steward.cli;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.tls.ServerTls;
import io.steward.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a primary that serves HTTPS only (docs/tls.md): with the CA given ({@code --ca-cert},
 * {@code STEWARD_CA_CERT}, or stored by {@code login --ca-cert}) commands work, request/response and the event
 * stream alike; without it they fail with one line that says which flag to give, not a stack trace.
 */
class CliOverHttpsTest {
    @TempDir
    Path dir;
    StewardServer server;
    TestCertificates certs;
    String token;

    @BeforeEach
    void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        ServerTls tls = certs.primary("primary");
        server = StewardServer.start(ServerConfig.defaults(dir.resolve("data"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20).withTls(tls)));
        token = server.adminToken();
        Files.writeString(dir.resolve("hello.groovy"), "status.set('step', 'one')\n'hi from ' + node.name\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void runWaitWorksOverHttpsWithTheCaAndFailsClearlyWithoutIt() {
        String url = server.url();
        assertThat(url).startsWith("https://");
        CliRunner push = CliRunner.run("script", "push", dir.resolve("hello.groovy").toString(), "--server", url,
                "--token", token, "--ca-cert", certs.caCert().toString());
        assertThat(push.exitCode()).as(push.err()).isZero();

        CliRunner run = CliRunner.run("run", "hello.groovy", "--wait", "--server", url, "--token", token,
                "--ca-cert", certs.caCert().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("SUCCEEDED").contains("hi from");

        // --follow reads the event stream (java.net.http): it needs the CA too
        CliRunner follow = CliRunner.run("run", "hello.groovy", "--follow", "--server", url, "--token", token,
                "--ca-cert", certs.caCert().toString());
        assertThat(follow.exitCode()).as(follow.err()).isZero();
        assertThat(follow.out()).contains("SUCCEEDED");

        CliRunner untrusted = CliRunner.run("run", "hello.groovy", "--wait", "--server", url, "--token", token);
        assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(untrusted.err()).startsWith("error: cannot trust the Steward server at " + url)
                .contains("--ca-cert FILE").contains("STEWARD_CA_CERT")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(untrusted.err().strip().lines()).hasSize(1);
    }

    @Test
    void theCaComesFromTheEnvironmentOrIsStoredByLogin(@TempDir Path home) {
        String url = server.url();
        Environment withVariable = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString(),
                "STEWARD_CA_CERT", certs.caCert().toString()), home);
        CliRunner info = CliRunner.run(withVariable, "server-info", "--server", url, "--token", token);
        assertThat(info.exitCode()).as(info.err()).isZero();

        Environment plain = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home);
        CliRunner refused = CliRunner.run(plain, "login", url, "--token", token);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("cannot trust").contains("--ca-cert");
        assertThat(home.resolve("xdg/steward/config")).doesNotExist();

        CliRunner login = CliRunner.run(plain, "login", url, "--token", token, "--ca-cert", certs.caCert().toString());
        assertThat(login.exitCode()).as(login.err()).isZero();
        CliRunner push = CliRunner.run(plain, "script", "push", dir.resolve("hello.groovy").toString());
        assertThat(push.exitCode()).as(push.err()).isZero();
        CliRunner run = CliRunner.run(plain, "run", "hello.groovy", "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("SUCCEEDED");
    }
}
