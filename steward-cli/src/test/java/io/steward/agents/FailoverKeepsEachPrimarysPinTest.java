package io.steward.agents;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.agent.AgentTls;
import io.steward.agent.PrimaryNotTrustedException;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.tls.Fingerprint;
import io.steward.tls.ServerTls;
import io.steward.tls.TestCertificates;
import io.steward.tls.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An agent given several https primaries trusts each one on its own terms (docs/cluster.md, "Agents and failover"):
 * a primary showing another key than the one the agent trusts is refused before anything is sent to it, and the
 * agent goes on to the others; each trusted primary's key is pinned in a file of its own; only when every primary
 * is refused does the agent end, with the refusal.
 */
class FailoverKeepsEachPrimarysPinTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private StewardServer primary(String name, ServerTls tls) throws IOException {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve(name))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20).withTls(tls)).withNode(name, Map.of()));
        cleanup.add(server);
        return server;
    }

    @Test
    void aPrimaryWithAnotherKeyIsRefusedAndTheAgentLinksToTheOneItTrusts() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        ServerTls trustedTls = certs.primary("trusted");
        ServerTls otherTls = certs.primary("other");
        StewardServer trusted = primary("trusted", trustedTls);
        StewardServer other = primary("other", otherTls);
        StewardClient admin = StewardClient.connect(trusted.url(), trusted.adminToken(), TlsContexts.client(certs.caCert()));
        cleanup.add(admin);
        String join = (String) admin.createToken("join-pin", "agent").get("token");
        Fingerprint trustedKey = Fingerprint.of(trustedTls.certificate());
        Path data = dir.resolve("agent");

        // the untrusted primary first in the list: the agent must refuse it, not stop there
        Agent agent = Agent.start(AgentConfig.of(List.of(other.url(), trusted.url()), join).withName("pin-1")
                .withDataDir(data).withBackoff(Duration.ofMillis(100), Duration.ofMillis(300))
                .withTls(new AgentTls(null, trustedKey, null, null)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).failFast(() -> agent.termination().isDone()).until(agent::connected);
        assertThat(admin.nodes()).anyMatch(n -> "pin-1".equals(n.get("name")) && "online".equals(n.get("state")));
        Path trustedPin = data.resolve("primary-127.0.0.1_" + trusted.port() + ".pin");
        assertThat(Files.readString(trustedPin).strip()).isEqualTo(trustedKey.value());
        assertThat(data.resolve("primary.pin")).as("the refused primary is never pinned").doesNotExist();
        try (StewardClient otherAdmin = StewardClient.connect(other.url(), other.adminToken(),
                TlsContexts.client(certs.caCert()))) {
            assertThat(otherAdmin.nodes()).noneMatch(n -> "pin-1".equals(n.get("name")));
        }
        admin.pushScript("where.groovy", "node.name");
        Map<String, Object> run = admin.invoke("where.groovy", null, Map.of(), null, Duration.ofSeconds(60),
                Map.of("on", "pin-1"));
        assertThat(run.get("state")).as("%s", run).isEqualTo("SUCCEEDED");
    }

    @Test
    void whenEveryPrimaryIsRefusedTheAgentEndsWithTheRefusal() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        StewardServer one = primary("one", certs.primary("one"));
        StewardServer two = primary("two", certs.primary("two"));
        Fingerprint neither = Fingerprint.of(certs.primary("neither").certificate());

        Agent agent = Agent.start(AgentConfig.of(one.url() + "," + two.url(), "stw_unused").withName("pin-2")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(300))
                .withTls(new AgentTls(null, neither, null, null)));
        cleanup.add(agent);
        assertThatThrownBy(() -> agent.termination().get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PrimaryNotTrustedException.class)
                .hasMessageContaining("presents the key").hasMessageContaining("--primary-fingerprint gives " + neither);
        assertThat(agent.connected()).isFalse();
    }
}
