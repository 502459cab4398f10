package io.steward.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunLocalCommandTest {
    @TempDir
    Path dir;

    private String script(String name, String source) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, source);
        return file.toString();
    }

    @Test
    void jsonPrintsTheFinalRunWithArguments() throws Exception {
        CliRunner r = CliRunner.run("run-local", script("sum.groovy", "args.a as int + (args.b as int)"),
                "--arg", "a=2", "--args-json", "{\"b\": 3}", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<?, ?> run = new ObjectMapper().readValue(r.out(), Map.class);
        assertThat(run.get("state")).isEqualTo("SUCCEEDED");
        assertThat(run.get("result")).isEqualTo(5);
        assertThat(run.get("script")).isEqualTo("sum.groovy");
    }

    @Test
    void aFailedRunExitsWithOneAndNamesTheLine() throws Exception {
        CliRunner r = CliRunner.run("run-local", script("fail.js", "var x = 1;\nthrow new Error('nope');"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED").contains("fail.js:2").contains("nope");
    }

    @Test
    void aTimedOutRunExitsWithFour() throws Exception {
        CliRunner r = CliRunner.run("run-local", script("slow.groovy", "sleep(60_000)"), "--timeout", "1");
        assertThat(r.exitCode()).isEqualTo(4);
    }

    @Test
    void badInputIsAUsageErrorWithoutAStackTrace() throws Exception {
        CliRunner compile = CliRunner.run("run-local", script("broken.groovy", "def x = ("));
        assertThat(compile.exitCode()).isEqualTo(2);
        assertThat(compile.err()).contains("broken.groovy:1").doesNotContain("at io.steward");

        CliRunner json = CliRunner.run("run-local", script("ok.groovy", "1"), "--args-json", "{nope");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.err()).contains("--args-json is not valid JSON");

        CliRunner unknownOption = CliRunner.run("run-local", "--frobnicate");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
    }

    @Test
    void theNamedFileMayBeALinkButWhatItIncludesStaysInItsFolder() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path elsewhere = Files.createDirectories(dir.resolve("real-evil"));
        Files.writeString(real.resolve("lib.groovy"), "'lib'");
        Files.writeString(elsewhere.resolve("evil.groovy"), "'evil'");
        Files.writeString(real.resolve("main.groovy"), "include(args.what)");
        Files.createSymbolicLink(real.resolve("shared"), elsewhere);
        Path link = Files.createSymbolicLink(dir.resolve("main-link.groovy"), real.resolve("main.groovy"));

        CliRunner ok = CliRunner.run("run-local", link.toString(), "--arg", "what=lib.groovy", "--json");
        assertThat(ok.exitCode()).as(ok.err() + ok.out()).isZero();

        for (String what : java.util.List.of("shared/evil.groovy", "../real-evil/evil.groovy", "%2e%2e/real-evil/evil.groovy")) {
            CliRunner out = CliRunner.run("run-local", link.toString(), "--arg", "what=" + what);
            assertThat(out.exitCode()).as(what).isEqualTo(1);
            assertThat(out.out()).as(what).contains("FAILED").contains("'" + what + "'").doesNotContain("'evil'");
        }
    }

    @Test
    void helpIsEverywhere() {
        assertThat(CliRunner.run("--help").out()).contains("demo", "run-local");
        assertThat(CliRunner.run("run-local", "--help").out()).contains("--arg", "--json", "--timeout");
        assertThat(CliRunner.run("demo", "--help").out()).contains("--examples");
    }
}
