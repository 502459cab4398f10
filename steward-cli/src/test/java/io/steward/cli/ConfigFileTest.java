package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The contexts file: what it looks like, its permissions, and what a hand-broken one says. */
class ConfigFileTest {
    @TempDir
    Path home;

    private CliRunner steward(String... args) {
        return CliRunner.run(new Environment(Map.of(), home), args);
    }

    @Test
    void withoutXdgConfigHomeTheFileIsInDotConfigAndReadsAsWritten() throws Exception {
        Path file = new Environment(Map.of("XDG_CONFIG_HOME", "relative/ignored"), home).configFile();
        assertThat(file).isEqualTo(home.resolve(".config/steward/config"));
        Contexts contexts = Contexts.EMPTY.put(new Contexts.Context("lab", "http://lab:7640", "t1"))
                .put(new Contexts.Context("prod", "https://prod", null)).use("lab");

        ConfigFile.write(file, contexts);

        assertThat(ConfigFile.read(file)).isEqualTo(contexts);
        assertThat(Files.readString(file)).isEqualTo("""
                {
                  "current" : "lab",
                  "contexts" : {
                    "lab" : {
                      "server" : "http://lab:7640",
                      "token" : "t1"
                    },
                    "prod" : {
                      "server" : "https://prod"
                    }
                  }
                }
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".config")))).isEqualTo("rwx------");
    }

    @Test
    void aBrokenFileIsNamedWithTheFixAndCommandsSayIt() throws Exception {
        Path file = home.resolve(".config/steward/config");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"contexts\": {\"lab\": {\"token\": \"t\"}}}");

        CliRunner list = steward("context", "list");
        assertThat(list.exitCode()).isEqualTo(2);
        assertThat(list.err()).isEqualTo("error: " + file + " is not a Steward config (context 'lab' has no server)"
                + " — fix it by hand, or remove it and log in again with `steward login URL`\n");

        Files.writeString(file, "not json");
        assertThat(steward("runs").err()).contains(file + " is not a Steward config", "steward login URL").doesNotContain("at io.steward");
        assertThat(steward("runs", "--server", "http://127.0.0.1:1", "--token", "t").err())
                .as("with server and token given the file is not needed").contains("cannot reach the Steward server");
    }

    @Test
    void contextNamesAreCheckedAndDerivedFromTheHost() {
        assertThat(LoginCommand.nameFor("https://Steward.Example.com/")).isEqualTo("steward.example.com");
        assertThat(LoginCommand.nameFor("lab-1:7641")).isEqualTo("lab-1-7641");
        assertThat(LoginCommand.nameFor("http://[::1]:7640")).isEqualTo("ip6-1-7640");
        assertThat(steward("context", "use", "nope").err()).contains("no context 'nope': log in first");
    }
}
