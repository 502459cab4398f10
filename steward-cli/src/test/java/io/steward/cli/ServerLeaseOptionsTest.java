package io.steward.cli;

import io.steward.server.ServerConfig.LeaseSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward server --lease-ttl/--lease-beat} reach the primary's config; a TTL alone brings a beat that fits it;
 * a beat of half the TTL or more, or a TTL too short to renew within, is refused naming the option and the fix.
 */
class ServerLeaseOptionsTest {
    private static LeaseSettings leasesOf(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.options.config(Environment.system()).leases();
    }

    @Test
    void theOptionsSetTheLeaseTimings() {
        assertThat(leasesOf("--lease-ttl", "3s", "--lease-beat", "500ms"))
                .isEqualTo(new LeaseSettings(Duration.ofSeconds(3), Duration.ofMillis(500)));
        assertThat(leasesOf()).as("the defaults").isEqualTo(LeaseSettings.DEFAULTS);
        assertThat(leasesOf("--lease-ttl", "2s")).as("a TTL alone: a fifth of it as the beat")
                .isEqualTo(new LeaseSettings(Duration.ofSeconds(2), Duration.ofMillis(400)));
        assertThat(leasesOf("--lease-ttl", "30s")).as("a long TTL alone keeps the 1 s beat")
                .isEqualTo(new LeaseSettings(Duration.ofSeconds(30), Duration.ofSeconds(1)));
    }

    @Test
    void aBeatOfHalfTheTtlOrMoreIsRefusedNamingBothOptions() {
        CliRunner half = CliRunner.run("server", "--port", "0", "--lease-ttl", "2s", "--lease-beat", "1s");
        assertThat(half.exitCode()).isNotZero();
        assertThat(half.err()).contains("--lease-beat (1000ms) must be more than 0 and less than half --lease-ttl (2000ms)",
                "give a shorter --lease-beat or a longer --lease-ttl").doesNotContain("\tat ", "Exception");

        CliRunner beatAlone = CliRunner.run("server", "--port", "0", "--lease-beat", "3s");
        assertThat(beatAlone.exitCode()).isNotZero();
        assertThat(beatAlone.err()).contains("--lease-beat (3000ms)", "half --lease-ttl (5000ms)");

        CliRunner tooShort = CliRunner.run("server", "--port", "0", "--lease-ttl", "100ms");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("--lease-ttl must be 500ms or more, not 100ms");

        CliRunner notADuration = CliRunner.run("server", "--port", "0", "--lease-ttl", "soon");
        assertThat(notADuration.exitCode()).isNotZero();
        assertThat(notADuration.err()).contains("--lease-ttl").doesNotContain("\tat ");
    }

    @Test
    void helpListsThem() {
        assertThat(CliRunner.run("server", "--help").out()).contains("--lease-ttl", "--lease-beat");
    }
}
