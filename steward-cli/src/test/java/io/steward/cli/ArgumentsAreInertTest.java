package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arguments are data: an argument that starts with {@code @} stays that text, for every command; picocli's default
 * would replace it with the named file's lines, which let Jenkins' CLI leak files through its error messages
 * (CVE-2024-23897).
 */
class ArgumentsAreInertTest {
    @TempDir
    Path dir;

    @Test
    void anAtFileArgumentIsNotReadForAnyCommand() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "root-password-123\n");
        for (String command : Steward.COMMANDS.keySet()) {
            CommandLine cli = Steward.commandLine(Environment.system(), null, command);
            assertThat(cli.isExpandAtFiles()).as(command).isFalse();
        }
        CommandLine run = Steward.commandLine(Environment.system(), null, "run");
        CommandLine.ParseResult parsed = run.parseArgs("run", "@" + secret);
        assertThat(parsed.subcommand().matchedPositionals()).extracting(p -> String.valueOf((Object) p.getValue()))
                .containsExactly("@" + secret).noneMatch(v -> v.contains("root-password"));
    }
}
