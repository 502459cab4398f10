package io.steward.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which primary an agent tries next: {@link PrimaryRoster}'s order, and the URLs {@link AgentConfig} accepts. */
class PrimaryRosterTest {
    @TempDir
    Path dir;

    private PrimaryRoster roster(String urls) {
        return PrimaryRoster.of(AgentConfig.of(urls, "stw_join").withDataDir(dir));
    }

    private static List<Integer> ports(List<PrimaryRoster.Endpoint> tried) {
        return tried.stream().map(e -> e.primary().getPort()).toList();
    }

    @Test
    void beforeAnyJoinEachPrimaryThatDoesNotAnswerIsLeftAfterOneAttemptRoundRobin() {
        try (PrimaryRoster roster = roster("http://127.0.0.1:1,http://127.0.0.1:2,http://127.0.0.1:3")) {
            List<PrimaryRoster.Endpoint> tried = new ArrayList<>(List.of(roster.current()));
            for (int i = 0; i < 4; i++) {
                tried.add(roster.failed());
            }
            assertThat(ports(tried)).containsExactly(1, 2, 3, 1, 2);
            assertThat(roster.current().link()).isEqualTo(URI.create("ws://127.0.0.1:2/api/v1/agent"));
        }
    }

    @Test
    void afterADropThePrimaryItWasJoinedToIsTriedAgainBrieflyBeforeTheNext() {
        try (PrimaryRoster roster = roster("http://127.0.0.1:1,http://127.0.0.1:2")) {
            roster.joined();
            List<PrimaryRoster.Endpoint> tried = new ArrayList<>();
            tried.add(roster.failed()); // the drop
            for (int i = 0; i < PrimaryRoster.SAME_PRIMARY_ATTEMPTS; i++) {
                tried.add(roster.failed()); // the attempts to reconnect
            }
            assertThat(ports(tried)).containsExactly(1, 1, 1, 2);
            roster.joined(); // the second one welcomed it: now that is the one it keeps to
            assertThat(ports(List.of(roster.failed(), roster.failed(), roster.failed(), roster.failed())))
                    .containsExactly(2, 2, 2, 1);
        }
    }

    @Test
    void aRefusedPrimaryIsNotTriedAgainAndTheLastRefusalIsThrown() {
        try (PrimaryRoster roster = roster("http://127.0.0.1:1,http://127.0.0.1:2,http://127.0.0.1:3")) {
            PrimaryNotTrustedException first = new PrimaryNotTrustedException("primary 1 is not trusted");
            assertThat(roster.refuse(first).primary().getPort()).isEqualTo(2);
            assertThat(ports(List.of(roster.failed(), roster.failed(), roster.failed()))).containsExactly(3, 2, 3);
            assertThat(roster.refuse(new PrimaryNotTrustedException("3")).primary().getPort()).isEqualTo(2);
            PrimaryNotTrustedException last = new PrimaryNotTrustedException("primary 2 is not trusted");
            assertThatThrownBy(() -> roster.refuse(last)).isSameAs(last);
        }
    }

    @Test
    void oneUrlIsTriedForEver() {
        try (PrimaryRoster roster = roster("http://127.0.0.1:1")) {
            roster.joined();
            for (int i = 0; i < 10; i++) {
                assertThat(roster.failed().primary().getPort()).isEqualTo(1);
            }
        }
    }

    @Test
    void urlsComeRepeatedOrCommaSeparatedAndBadOnesAreRefusedWithTheReason() {
        AgentConfig config = AgentConfig.of(List.of("http://a:7640, https://b:7640", "http://c:7640"), "stw_join");
        assertThat(config.primaries()).containsExactly(URI.create("http://a:7640"), URI.create("https://b:7640"),
                URI.create("http://c:7640"));
        assertThat(config.primary()).isEqualTo(URI.create("http://a:7640"));
        assertThat(config.linkUri()).isEqualTo(URI.create("ws://a:7640/api/v1/agent"));
        assertThat(AgentConfig.of("http://a:7640", null).primaries()).hasSize(1);
        assertThatThrownBy(() -> AgentConfig.of("http://a:7640,http://a:7640", null))
                .hasMessageContaining("each primary URL may be given once");
        assertThatThrownBy(() -> AgentConfig.of("http://a:7640,ftp://b:21", null))
                .hasMessageContaining("a primary must be an http(s)://host:port URL, was ftp://b:21");
        assertThatThrownBy(() -> AgentConfig.of(" , ", null)).hasMessageContaining("at least one primary URL");
    }

    @Test
    void eachFurtherPrimaryHasAPinFileOfItsOwnAndTheFirstKeepsTheOldName() {
        assertThat(PrimaryPin.of(dir, URI.create("https://a:7640"), 0).path()).isEqualTo(dir.resolve("primary.pin"));
        assertThat(PrimaryPin.of(dir, URI.create("https://b.example:7641"), 1).path())
                .isEqualTo(dir.resolve("primary-b.example_7641.pin"));
        assertThat(PrimaryPin.of(dir, URI.create("https://[::1]"), 2).path()).isEqualTo(dir.resolve("primary-___1__443.pin"));
    }
}
