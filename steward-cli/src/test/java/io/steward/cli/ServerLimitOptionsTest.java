package io.steward.cli;

import io.steward.gateway.Limits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code steward server}'s {@code --max-…} options reach the primary's limits, and bad values are refused clearly. */
class ServerLimitOptionsTest {
    @Test
    void theOptionsSetTheLimits() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs("--max-body", "1000", "--max-script-bytes", "2000", "--max-args-bytes", "3000",
                "--max-event-bytes", "4000", "--max-events-per-second", "50", "--max-streams-per-token", "3");
        var gateway = command.options.config(Environment.system()).gateway();
        assertThat(gateway.maxBody()).isEqualTo(1000);
        assertThat(gateway.limits()).isEqualTo(new Limits(2000, 3000, 3, 4000, 50));
    }

    @Test
    void withoutOptionsTheDefaultsHold() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.options.config(Environment.system()).gateway().limits()).isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void theDataFolderIsTheFlagElseStewardDataElseTheHomes() {
        java.nio.file.Path home = java.nio.file.Path.of("/home/someone");
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.options.config(new Environment(java.util.Map.of("STEWARD_DATA", "/srv/steward"), home)).dataDir())
                .isEqualTo(java.nio.file.Path.of("/srv/steward"));
        assertThat(command.options.config(new Environment(java.util.Map.of(), home)).dataDir())
                .isEqualTo(home.resolve(".steward"));
        new CommandLine(command).parseArgs("--data", "/tmp/elsewhere");
        assertThat(command.options.config(new Environment(java.util.Map.of("STEWARD_DATA", "/srv/steward"), home)).dataDir())
                .isEqualTo(java.nio.file.Path.of("/tmp/elsewhere"));
    }

    @Test
    void helpListsThemAndBadValuesAreRefused() {
        assertThat(CliRunner.run("server", "--help").out()).contains("--max-script-bytes", "--max-args-bytes",
                "--max-event-bytes", "--max-events-per-second", "--max-streams-per-token");
        CliRunner negative = CliRunner.run("server", "--port", "0", "--max-events-per-second", "-1");
        assertThat(negative.exitCode()).isNotZero();
        assertThat(negative.err()).contains("0 (off) or more").doesNotContain("\tat ");
        CliRunner tooBig = CliRunner.run("server", "--port", "0", "--max-script-bytes", "5000000");
        assertThat(tooBig.exitCode()).isNotZero();
        assertThat(tooBig.err()).contains("--max-script-bytes may be at most 1048576");
    }
}
