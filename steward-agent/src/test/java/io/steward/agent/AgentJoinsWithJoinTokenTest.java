package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AgentJoinsWithJoinTokenTest {

    static AgentConfig config(FakePrimary primary, Path data) {
        return AgentConfig.of(primary.url(), FakePrimary.JOIN_TOKEN).withName("agent-1")
                .withLabels(Map.of("role", "web")).withDataDir(data)
                .withHeartbeat(Duration.ofMillis(500)).withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    @Test
    void storesTheCredentialPrivatelyAndUsesItOnTheNextConnect(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start(); Agent agent = Agent.start(config(primary, data))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            Path file = data.resolve("agent.credential");
            await().until(() -> Files.exists(file));
            assertThat(Files.readString(file).strip()).isEqualTo(FakePrimary.CREDENTIAL);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(primary.authorizations.get(0)).isEqualTo("Bearer " + FakePrimary.JOIN_TOKEN);

            Map<String, Object> hello = primary.frames("hello").get(0);
            assertThat(hello).containsEntry("name", "agent-1").containsEntry("labels", Map.of("role", "web"));
            assertThat(((Map<?, ?>) hello.get("info")).keySet()).map(String::valueOf).contains("name", "host", "os", "arch", "cpus",
                    "memoryBytes", "load", "jvm", "version", "labels", "startedAt");

            primary.dropSession();
            await().atMost(Duration.ofSeconds(10)).until(() -> primary.authorizations.size() == 2 && agent.connected());
            assertThat(primary.authorizations.get(1)).isEqualTo("Bearer " + FakePrimary.CREDENTIAL);
        }
    }

    @Test
    void sendsHeartbeatsWithNodeInfoEveryFewBeats(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(config(primary, data).withHeartbeat(Duration.ofMillis(50)))) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> primary.frames("heartbeat").stream().anyMatch(f -> f.containsKey("info")));
            assertThat(primary.frames("heartbeat").get(0)).containsKey("time").doesNotContainKey("info");
            assertThat(agent.connections()).isEqualTo(1);
        }
    }
}
