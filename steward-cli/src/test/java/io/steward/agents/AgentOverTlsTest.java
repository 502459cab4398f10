package io.steward.agents;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.tls.Fingerprint;
import io.steward.tls.Pem;
import io.steward.tls.ServerTls;
import io.steward.tls.TestCertificates;
import io.steward.tls.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary with TLS on, and real {@code steward agent} processes joining it over wss (docs/tls.md): the API answers
 * HTTPS (to curl, with the CA) and not plain HTTP; an agent trusting the CA joins, runs a script and pins the
 * primary's key; the same agent meeting the primary with another key — even one the same CA signed — refuses it
 * and runs nothing; with mutual TLS an agent without a client certificate is refused.
 */
class AgentOverTlsTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primary(ServerTls tls, int port) throws IOException {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", port, 1 << 20).withTls(tls)).withNode("primary", Map.of()));
        cleanup.add(server);
        return server;
    }

    private StewardClient admin(StewardServer server, TestCertificates certs) throws IOException {
        StewardClient admin = StewardClient.connect(server.url(), server.adminToken(), TlsContexts.client(certs.caCert()));
        cleanup.add(admin);
        return admin;
    }

    private AgentProcess agent(String name, Path data, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--name", name, "--data", data.toString()));
        args.addAll(extra);
        AgentProcess agent = AgentProcess.start(name, dir.resolve(name + "-" + System.nanoTime() + ".log"), args);
        cleanup.add(agent);
        return agent;
    }

    @Test
    void anAgentJoinsOverWssPinsThePrimaryAndRefusesItWithAnotherKey() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        ServerTls first = certs.primary("primary-1");
        StewardServer server = primary(first, 0);
        int port = server.port();
        assertThat(server.url()).isEqualTo("https://127.0.0.1:" + port);
        assertThat(Files.readString(dir.resolve("primary/server.url")).strip()).startsWith("https://");

        // curl, trusting the CA, gets the health answer; plain HTTP on the same port is not served
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", certs.caCert().toString(),
                server.url() + "/health").redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(answer).isZero();
        assertThat(answer).contains("\"status\":\"ok\"");
        Process plain = new ProcessBuilder("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + port + "/health").redirectErrorStream(true).start();
        String plainAnswer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(plain.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(plain.exitValue()).as("plain HTTP must not be served: %s", plainAnswer).isNotZero();

        StewardClient admin = admin(server, certs);
        String join = (String) admin.createToken("join-tls", "agent").get("token");
        Path data = dir.resolve("agent-data");
        AgentProcess agent = agent("web-1", data, List.of("--primary", server.url(), "--join-token", join,
                "--ca-cert", certs.caCert().toString()));
        await().atMost(Duration.ofSeconds(60)).failFast(() -> !agent.process.isAlive())
                .until(() -> online(admin, "web-1"));
        admin.pushScript("where.groovy", "node.name");
        Map<String, Object> run = admin.invoke("where.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "web-1"));
        assertThat(run.get("state")).as("%s\n%s", run, agent.logTail()).isEqualTo("SUCCEEDED");

        Path pin = data.resolve("primary.pin");
        assertThat(pin).exists();
        assertThat(Files.readString(pin).strip()).isEqualTo(Fingerprint.of(first.certificate()).value());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pin))).isEqualTo("rw-------");
        agent.close();
        server.close();

        // the same primary (same data, same port, same CA) with another key: the agent refuses it
        ServerTls second = certs.primary("primary-2");
        StewardServer again = primary(second, port);
        AgentProcess refusing = agent("web-1", data, List.of("--primary", again.url(), "--ca-cert", certs.caCert().toString()));
        assertThat(refusing.process.waitFor(60, TimeUnit.SECONDS)).as(refusing.logTail()).isTrue();
        assertThat(refusing.process.exitValue()).as(refusing.logTail()).isEqualTo(2);
        String log = refusing.logTail();
        assertThat(log).contains("presents the key " + Fingerprint.of(second.certificate()))
                .contains("pinned " + Fingerprint.of(first.certificate()))
                .contains("delete " + pin)
                .contains("--primary-fingerprint " + Fingerprint.of(second.certificate()))
                .doesNotContain("welcomed");
        assertThat(Files.readString(pin).strip()).as("the pin is kept").isEqualTo(Fingerprint.of(first.certificate()).value());
        // it never joined: the primary knows it only from before, and not online
        assertThat(online(admin(again, certs), "web-1")).isFalse();
    }

    private static boolean online(StewardClient admin, String name) {
        return admin.nodes().stream().anyMatch(n -> name.equals(n.get("name")) && "online".equals(n.get("state")));
    }

    @Test
    void withMutualTlsAnAgentWithoutAClientCertificateIsRefused() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        ServerTls base = certs.primary("primary");
        StewardServer server = primary(new ServerTls(base.certFile(), base.keyFile(), null, null, certs.caCert()), 0);
        StewardClient admin = admin(server, certs);
        String join = (String) admin.createToken("join-mtls", "agent").get("token");

        AgentProcess without = agent("bare", dir.resolve("bare"), List.of("--primary", server.url(), "--join-token", join,
                "--ca-cert", certs.caCert().toString()));
        assertThat(without.process.waitFor(60, TimeUnit.SECONDS)).as(without.logTail()).isTrue();
        assertThat(without.process.exitValue()).isEqualTo(2);
        assertThat(without.logTail()).contains("requires a client certificate").contains("--tls-cert");
        assertThat(dir.resolve("bare/primary.pin")).doesNotExist();

        // a certificate of another CA fails the handshake itself
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        Path[] foreign = other.agent("intruder");
        AgentProcess intruder = agent("intruder", dir.resolve("intruder"), List.of("--primary", server.url(),
                "--join-token", join, "--ca-cert", certs.caCert().toString(),
                "--tls-cert", foreign[0].toString(), "--tls-key", foreign[1].toString()));

        Path[] own = certs.agent("web-2");
        AgentProcess with = agent("web-2", dir.resolve("web-2"), List.of("--primary", server.url(), "--join-token", join,
                "--ca-cert", certs.caCert().toString(), "--tls-cert", own[0].toString(), "--tls-key", own[1].toString()));
        await().atMost(Duration.ofSeconds(60)).failFast(() -> !with.process.isAlive())
                .until(() -> online(admin, "web-2"));
        admin.pushScript("where.groovy", "node.name");
        Map<String, Object> run = admin.invoke("where.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "web-2"));
        assertThat(run.get("state")).as("%s\n%s", run, with.logTail()).isEqualTo("SUCCEEDED");

        await().atMost(Duration.ofSeconds(30)).until(() -> intruder.logTail().contains("TLS failed"));
        assertThat(online(admin, "intruder")).isFalse();
        assertThat(dir.resolve("intruder/primary.pin")).doesNotExist();
        assertThat(Pem.certificates(own[0])).hasSize(2);
    }
}
