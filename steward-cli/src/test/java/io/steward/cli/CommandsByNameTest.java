package io.steward.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward NAME …} gives picocli the one command {@code NAME} ({@link Steward#main}): the names in
 * {@link Steward#COMMANDS} must be the commands' own, and the name must be found past the top command's options.
 */
class CommandsByNameTest {
    @Test
    void everyCommandIsListedUnderItsOwnName() {
        Steward.COMMANDS.forEach((name, type) ->
                assertThat(type.getAnnotation(CommandLine.Command.class).name()).as(type.getName()).isEqualTo(name));
    }

    @Test
    void theCommandNameIsTheFirstArgumentThatIsNeitherAnOptionNorTheValueOfOne() {
        assertThat(Steward.commandName(new String[]{"run", "x", "--wait"})).isEqualTo("run");
        assertThat(Steward.commandName(new String[]{"--server", "http://h:1", "--token", "t", "--context", "c", "--verbose", "runs"}))
                .isEqualTo("runs");
        assertThat(Steward.commandName(new String[]{"--server=http://h:1", "status", "get"})).isEqualTo("status");
        assertThat(Steward.commandName(new String[]{"--version"})).isNull();
        assertThat(Steward.commandName(new String[]{})).isNull();
    }

    @Test
    void oneCommandOrAllOfThem() {
        assertThat(Steward.commandLine(Environment.system(), null, "run").getSubcommands()).containsOnlyKeys("run");
        assertThat(Steward.commandLine(Environment.system(), null, "help").getSubcommands()).hasSize(Steward.COMMANDS.size());
        assertThat(Steward.commandLine(Environment.system(), null, "nosuch").getSubcommands()).hasSize(Steward.COMMANDS.size());
        assertThat(Steward.commandLine(Environment.system(), null, null).getSubcommands()).hasSize(Steward.COMMANDS.size());
    }
}
