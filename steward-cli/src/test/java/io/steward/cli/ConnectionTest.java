package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flags beat the environment, which beats the current context of the user's config, which beats the files of this
 * machine's server, which beat the default address; stored tokens go only to their own server.
 */
class ConnectionTest {
    @TempDir
    Path home;

    private Path dataDir(Path dir, String url, String token) throws Exception {
        Files.createDirectories(dir);
        if (url != null) {
            Files.writeString(dir.resolve("server.url"), url + "\n");
        }
        if (token != null) {
            Files.writeString(dir.resolve("admin.token"), token + "\n");
        }
        return dir;
    }

    @Test
    void withNothingGivenTheDataDirectoryOfThisMachinesServerIsUsed() throws Exception {
        dataDir(home.resolve(".steward"), "http://127.0.0.1:7777", "admin-secret");

        assertThat(Connection.resolve(null, null, null, Map.of(), home))
                .isEqualTo(new Connection("http://127.0.0.1:7777", "admin-secret"));
    }

    @Test
    void withNoServerAnywhereTheDefaultAddressAndNoToken() {
        assertThat(Connection.resolve(null, null, null, Map.of(), home))
                .isEqualTo(new Connection("http://127.0.0.1:7640", null));
    }

    @Test
    void theDataDirectoryComesFromTheFlagThenSTEWARD_DATAThenHome() throws Exception {
        dataDir(home.resolve(".steward"), "http://home:1", "home-token");
        Path env = dataDir(home.resolve("env"), "http://env:2", "env-token");
        Path flag = dataDir(home.resolve("flag"), "http://flag:3", "flag-token");

        assertThat(Connection.resolve(null, null, flag, Map.of("STEWARD_DATA", env.toString()), home))
                .isEqualTo(new Connection("http://flag:3", "flag-token"));
        assertThat(Connection.resolve(null, null, null, Map.of("STEWARD_DATA", env.toString()), home))
                .isEqualTo(new Connection("http://env:2", "env-token"));
        assertThat(Connection.resolve(null, null, null, Map.of("STEWARD_DATA", " "), home))
                .isEqualTo(new Connection("http://home:1", "home-token"));
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFiles() throws Exception {
        dataDir(home.resolve(".steward"), "http://local:1", "file-token");
        Map<String, String> env = Map.of("STEWARD_SERVER", "http://env:2", "STEWARD_TOKEN", "env-token");

        assertThat(Connection.resolve("http://flag:3", "flag-token", null, env, home))
                .isEqualTo(new Connection("http://flag:3", "flag-token"));
        assertThat(Connection.resolve(null, null, null, env, home))
                .isEqualTo(new Connection("http://env:2", "env-token"));
        assertThat(Connection.resolve(null, "flag-token", null, Map.of(), home))
                .isEqualTo(new Connection("http://local:1", "flag-token"));
        assertThat(Connection.resolve("", "", null, Map.of("STEWARD_TOKEN", ""), home))
                .as("blank values count as not given")
                .isEqualTo(new Connection("http://local:1", "file-token"));
    }

    @Test
    void theLocalAdminTokenIsNeverSentToAnotherServer() throws Exception {
        dataDir(home.resolve(".steward"), "http://127.0.0.1:7640", "admin-secret");

        assertThat(Connection.resolve("https://elsewhere:7640", null, null, Map.of(), home).token()).isNull();
        assertThat(Connection.resolve(null, null, null, Map.of("STEWARD_SERVER", "http://elsewhere"), home).token()).isNull();
        assertThat(Connection.resolve("http://127.0.0.1:7640/", null, null, Map.of(), home).token())
                .as("the same server, named explicitly").isEqualTo("admin-secret");
    }

    @Test
    void anAdminTokenWithoutAServerUrlGoesToTheDefaultAddressOnly() throws Exception {
        dataDir(home.resolve(".steward"), null, "admin-secret");

        assertThat(Connection.resolve(null, null, null, Map.of(), home))
                .isEqualTo(new Connection("http://127.0.0.1:7640", "admin-secret"));
    }

    private Environment withContexts(Map<String, String> vars, String current, Contexts.Context... contexts) {
        Environment env = new Environment(vars, home);
        Contexts all = Contexts.EMPTY;
        for (Contexts.Context c : contexts) {
            all = all.put(c);
        }
        ConfigFile.write(env.configFile(), current == null ? all : all.use(current));
        return env;
    }

    private static final Contexts.Context LAB = new Contexts.Context("lab", "http://lab:7640", "lab-token");
    private static final Contexts.Context PROD = new Contexts.Context("prod", "https://prod", "prod-token");

    @Test
    void theCurrentContextBeatsTheDataDirectoryAndDoesNotGetItsAdminToken() throws Exception {
        dataDir(home.resolve(".steward"), "http://127.0.0.1:7777", "admin-secret");
        Environment env = withContexts(Map.of(), "lab", PROD, LAB);

        assertThat(Connection.resolve(null, null, null, null, env)).isEqualTo(new Connection("http://lab:7640", "lab-token", "lab"));

        Environment loggedOut = withContexts(Map.of(), "lab", PROD, LAB.withoutToken());
        assertThat(Connection.resolve(null, null, null, null, loggedOut))
                .as("a context without a token is not given this machine's admin token")
                .isEqualTo(new Connection("http://lab:7640", null, "lab"));
    }

    @Test
    void flagsAndTheEnvironmentBeatTheCurrentContext() {
        Environment env = withContexts(Map.of("STEWARD_SERVER", "http://env:2", "STEWARD_TOKEN", "env-token"), "lab", PROD, LAB);

        assertThat(Connection.resolve(null, null, null, null, env)).isEqualTo(new Connection("http://env:2", "env-token"));
        assertThat(Connection.resolve("http://flag:3", "flag-token", null, null, env)).isEqualTo(new Connection("http://flag:3", "flag-token"));
        assertThat(Connection.resolve(null, "flag-token", null, null, withContexts(Map.of(), "lab", LAB)))
                .isEqualTo(new Connection("http://lab:7640", "flag-token", "lab"));
    }

    @Test
    void theContextFlagPicksOneForOneCommandAndBeatsTheEnvironment() {
        Environment env = withContexts(Map.of("STEWARD_SERVER", "http://env:2", "STEWARD_TOKEN", "env-token"), "lab", PROD, LAB);

        assertThat(Connection.resolve(null, null, "prod", null, env)).isEqualTo(new Connection("https://prod", "prod-token", "prod"));
        assertThat(Connection.resolve(null, null, null, null, withContexts(Map.of("STEWARD_CONTEXT", "prod"), "lab", PROD, LAB)))
                .isEqualTo(new Connection("https://prod", "prod-token", "prod"));
        assertThatThrownBy(() -> Connection.resolve(null, null, "nope", null, env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no context 'nope'").hasMessageContaining("lab, prod");
    }

    @Test
    void aStoredTokenGoesOnlyToItsOwnServer() {
        Environment env = withContexts(Map.of(), "lab", PROD, LAB);

        assertThat(Connection.resolve("https://elsewhere", null, null, null, env).token()).isNull();
        assertThat(Connection.resolve("https://prod/", null, null, null, env))
                .as("a server named by flag that is a logged-in context's gets that context's token")
                .isEqualTo(new Connection("https://prod/", "prod-token", "prod"));
        assertThat(Connection.resolve(null, null, null, null, withContexts(Map.of("STEWARD_SERVER", "http://elsewhere"), "lab", LAB)).token())
                .isNull();
    }
}
