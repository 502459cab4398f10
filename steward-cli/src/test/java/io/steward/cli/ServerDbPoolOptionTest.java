package io.steward.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward server --db-pool} reaches the primary's config (docs/cluster.md, "What bounds it first"); a size the
 * store cannot work with is refused naming the option, before anything starts.
 */
class ServerDbPoolOptionTest {
    private static int poolOf(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.options.config(Environment.system()).dbPool();
    }

    @Test
    void theOptionSetsThePoolSize() {
        assertThat(poolOf()).as("the default").isEqualTo(8);
        assertThat(poolOf("--db-pool", "32")).isEqualTo(32);
    }

    @Test
    void aPoolTooSmallOrAbsurdlyLargeIsRefused() {
        for (String size : new String[] {"1", "0", "-4", "501"}) {
            CliRunner refused = CliRunner.run("server", "--port", "0", "--db-pool", size);
            assertThat(refused.exitCode()).as(size).isNotZero();
            assertThat(refused.err()).contains("--db-pool must be from 2 to 500, not " + size)
                    .doesNotContain("\tat ", "Exception");
        }
        CliRunner notANumber = CliRunner.run("server", "--port", "0", "--db-pool", "many");
        assertThat(notANumber.exitCode()).isNotZero();
        assertThat(notANumber.err()).contains("--db-pool").doesNotContain("\tat ");
    }

    @Test
    void helpListsIt() {
        assertThat(CliRunner.run("server", "--help").out()).contains("--db-pool");
    }
}
