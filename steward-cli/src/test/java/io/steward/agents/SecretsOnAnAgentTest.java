package io.steward.agents;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A secret arg of a fan-out reaches the script on the agent over the link, and the agent masks it (and the secret
 * status value its script sets) before anything goes back: the primary's API and the agent's own data folder
 * (its outbox of events) never hold the value.
 */
class SecretsOnAnAgentTest {
    static final String PASSWORD = "agent-Secret-Value-4471";
    static final String REVERSED = new StringBuilder(PASSWORD).reverse().toString();

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
    @SuppressWarnings("unchecked")
    void theAgentsScriptGetsTheValueAndSendsOnlyTheMask() throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(dir.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of()));
        cleanup.add(server);
        String token = server.adminToken();
        StewardClient admin = StewardClient.connect(server.url(), token);
        cleanup.add(admin);
        String join = (String) admin.createToken("join-secrets", "agent").get("token");
        Agent agent = Agent.start(AgentConfig.of(server.url(), join).withName("sec-1")
                .withDataDir(dir.resolve("agent")).withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        cleanup.add(agent);
        await().atMost(Duration.ofSeconds(30)).until(agent::connected);

        admin.pushScript("login.groovy", """
                status.set('pw', args.password + '-status', secret: true)
                exec(['sh', '-c', 'echo "agent uses $0"', args.password])
                log.info('the password is ' + args.password)
                args.password.reverse() == 'REVERSED' && args.user == 'ada' && node.name == 'sec-1'
                """.replace("REVERSED", REVERSED));
        Map<String, Object> parent = admin.invoke("login.groovy", null, Map.of("user", "ada"), null,
                Duration.ofSeconds(60), Map.of("on", "sec-1", "secretArgs", Map.of("password", PASSWORD)));
        assertThat(parent.get("state")).as("%s", parent).isEqualTo("SUCCEEDED");
        assertThat((Map<String, Object>) parent.get("result")).as("the agent's script saw the real value")
                .containsEntry("sec-1", true);
        assertThat(parent.toString()).doesNotContain(PASSWORD);
        String child = (String) ((List<Map<String, Object>>) parent.get("children")).getFirst().get("id");

        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/api/v1/runs/" + child, "/api/v1/runs/" + child + "/events",
                "/api/v1/runs/" + child + "/output", "/api/v1/runs/" + parent.get("id"),
                "/api/v1/runs/" + parent.get("id") + "/events")) {
            String body = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).as(path).doesNotContain(PASSWORD);
        }
        String childEvents = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runs/" + child + "/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(childEvents).contains("agent uses ***", "the password is ***", "\"secret\":true",
                "\"password\":\"***\"");

        try (Stream<Path> files = Files.walk(dir.resolve("agent"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(PASSWORD);
            }
        }
    }
}
