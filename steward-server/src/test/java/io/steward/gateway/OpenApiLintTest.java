package io.steward.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document a primary serves passes {@code redocly lint} with redocly.yaml (the recommended rules; the few turned
 * off say why there). Runs the pinned Redocly CLI: a global {@code redocly} of that version (.ci/run installs it),
 * else {@code npx}. Without either the test skips locally but fails under CI=true: a CI that lints nothing proves
 * nothing.
 */
class OpenApiLintTest {
    static final String REDOCLY_VERSION = "2.77.0";
    private static final Path CONFIG = Path.of("..", "redocly.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theDocumentPassesRedoclyLint() throws Exception {
        List<String> redocly = redocly();
        Path document = dir.resolve("openapi.json");
        try (TestPrimary primary = new TestPrimary(dir.resolve("data"))) {
            Files.writeString(document, OpenApiDocumentIsCheckedInTest.pretty(primary.admin.get("/api/v1/openapi.json").json()));
        }
        List<String> command = new ArrayList<>(redocly);
        command.addAll(List.of("lint", document.toString(), "--config", CONFIG.toString(), "--format", "json"));
        Path stderr = dir.resolve("redocly.err");
        Process lint = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        // npx may fetch the CLI first: a generous bound, and the process is killed if it is reached.
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = lint.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            lint.destroyForcibly();
        }
        assertThat(ended).as("redocly lint ended").isTrue();
        String report = output + "\n" + Files.readString(stderr);
        assertThat(lint.exitValue()).as("redocly lint exit code; its report:\n" + report).isZero();
        // Warnings do not change the exit code: every one is either fixed or turned off in redocly.yaml with a reason.
        JsonNode totals = new ObjectMapper().readTree(output.substring(output.indexOf('{'))).path("totals");
        assertThat(totals.path("errors").asInt(-1)).as("errors; the report:\n" + report).isZero();
        assertThat(totals.path("warnings").asInt(-1)).as("warnings; the report:\n" + report).isZero();
    }

    /** The command that runs the pinned CLI, or a skip (a failure under CI=true) when there is none. */
    private static List<String> redocly() throws InterruptedException {
        if (REDOCLY_VERSION.equals(versionOf(List.of("redocly", "--version")))) {
            return List.of("redocly");
        }
        if (versionOf(List.of("npx", "--version")) != null) {
            return List.of("npx", "--yes", "@redocly/cli@" + REDOCLY_VERSION);
        }
        String why = "need redocly " + REDOCLY_VERSION + " (npm install -g @redocly/cli@" + REDOCLY_VERSION + ") or npx";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("the OpenAPI lint " + why + "; .ci/run installs it");
        }
        Assumptions.abort("the OpenAPI lint " + why);
        return List.of();
    }

    private static String versionOf(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.lines().reduce((a, b) -> b).orElse("") : null;
        } catch (IOException notInstalled) {
            return null;
        }
    }
}
