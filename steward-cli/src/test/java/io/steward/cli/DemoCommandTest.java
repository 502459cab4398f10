package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path data;

    @Test
    void startsAPrimaryPushesTheExamplesAndRunsOneLive() throws Exception {
        CliRunner r = CliRunner.run("demo", "--examples", EXAMPLES.toString(), "--data", data.toString(), "--port", "0", "--exit");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("primary at http://127.0.0.1:")
                .contains("pushed hello.groovy v1", "pushed hello.js v1", "pushed deploy.groovy v1", "pushed lib/steps.groovy v1")
                .contains("== running deploy.groovy")
                .contains("status phase = rollout")
                .contains("progress [")
                .contains("stdout | built")
                .contains("SUCCEEDED")
                .contains("Token: stw_");
        assertThat(Files.readString(data.resolve("admin.token"))).startsWith("stw_");
        assertThat(data.resolve("server.url")).as("removed when the demo stops").doesNotExist();
    }

    @Test
    void aMissingExamplesFolderIsAUsageError() {
        CliRunner r = CliRunner.run("demo", "--examples", "/no/such/folder", "--data", data.toString(), "--port", "0", "--exit");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no examples folder at /no/such/folder").doesNotContain("Exception");
    }
}
