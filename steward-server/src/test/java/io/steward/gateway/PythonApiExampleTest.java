package io.steward.gateway;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/examples/api_example.py, the Python example of docs/api.md, runs against a live primary and does what it
 * says. Needs python3 with requests (Debian's python3-requests; .ci/run installs it): without them it skips
 * locally but fails under CI=true.
 */
class PythonApiExampleTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "api_example.py").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theExamplePushesInvokesPagesEventsAndReadsTheServer() throws Exception {
        requirePythonWithRequests();
        try (TestPrimary primary = new TestPrimary(dir)) {
            ProcessBuilder python = new ProcessBuilder("python3", EXAMPLE.toString()).redirectErrorStream(true);
            python.environment().put("STEWARD_URL", primary.server.url());
            python.environment().put("STEWARD_TOKEN", primary.admin.token());
            Process p = python.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output)
                    .contains("pushed examples/hello.groovy version 1 (new)")
                    .containsPattern("run \\S+ SUCCEEDED: 'hello python'")
                    .containsPattern("\\d+ events: state, .*log")
                    .contains("steward ");
        }
    }

    private static void requirePythonWithRequests() throws InterruptedException {
        String why = null;
        try {
            Process check = new ProcessBuilder("python3", "-c", "import requests").redirectErrorStream(true).start();
            check.getInputStream().readAllBytes();
            if (!check.waitFor(1, TimeUnit.MINUTES) || check.exitValue() != 0) {
                why = "python3 has no requests module (apt-get install python3-requests)";
            }
        } catch (IOException e) {
            why = "there is no python3";
        }
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("the Python API example needs python3 with requests: " + why);
            }
            Assumptions.abort("the Python API example: " + why);
        }
    }
}
