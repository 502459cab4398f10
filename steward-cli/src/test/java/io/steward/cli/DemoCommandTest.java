package io.steward.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @Test
    void runsEveryExampleToSuccessWithLiveEvents() {
        CliRunner r = CliRunner.run("demo", "--examples", EXAMPLES.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("== hello.groovy", "== hello.js", "== deploy.groovy")
                .contains("shared greeting = hello,")
                .contains("status phase = rollout")
                .contains("progress [")
                .contains("stdout | built")
                .doesNotContain("FAILED");
    }

    @Test
    void aMissingExamplesFolderIsAUsageError() {
        CliRunner r = CliRunner.run("demo", "--examples", "/no/such/folder");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no examples folder at /no/such/folder").doesNotContain("Exception");
    }
}
