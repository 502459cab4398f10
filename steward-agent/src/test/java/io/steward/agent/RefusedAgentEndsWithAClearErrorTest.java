package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RefusedAgentEndsWithAClearErrorTest {

    @Test
    void aBadJoinTokenEndsTheAgentInsteadOfRetryingForever(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentConfig.of(primary.url(), "stw_wrong").withDataDir(data.resolve("b"))
                     .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            assertThatThrownBy(agent::await).isInstanceOf(AgentRefusedException.class)
                    .hasMessageContaining("unauthorized").hasMessageContaining("unknown token")
                    .hasMessageNotContaining("stored credential")
                    .satisfies(e -> assertThat(((AgentRefusedException) e).code()).isEqualTo("unauthorized"));
            assertThat(primary.connections()).isEqualTo(1);
            assertThat(agent.termination()).isCompletedExceptionally();
        }
    }

    @Test
    void aRevokedNodeEndsTheAgent(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent agent = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
            await().atMost(Duration.ofSeconds(10)).until(agent::connected);
            primary.refuseWith = "revoked";
            primary.dropSession();
            // it reconnected with its stored credential: the way back is without it
            assertThatThrownBy(() -> agent.await(Duration.ofSeconds(20))).isInstanceOf(AgentRefusedException.class)
                    .hasMessageContaining("revoked").hasMessageContaining(data.resolve("agent.credential").toString())
                    .hasMessageContaining("delete that file and start the agent with --join-token");
        }
    }

    @Test
    void aSecondAgentOnADataFolderInUseIsRefusedAtStart(@TempDir Path data) throws Exception {
        try (FakePrimary primary = new FakePrimary().start();
             Agent first = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
            // it would end the first one's live runs as LOST, taking them for leftovers of a crash
            assertThatThrownBy(() -> Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another agent is using the data folder " + data)
                    .hasMessageContaining("--data");
            first.close();
            try (Agent next = Agent.start(AgentJoinsWithJoinTokenTest.config(primary, data))) {
                await().atMost(Duration.ofSeconds(10)).until(next::connected);
            }
        }
    }

    @Test
    void noJoinTokenAndNoCredentialIsAClearErrorAtStart(@TempDir Path data) {
        assertThatThrownBy(() -> Agent.start(AgentConfig.of("http://127.0.0.1:1", null).withDataDir(data)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a join token is needed");
    }
}
