package io.steward.cli;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward login}, {@code logout} and {@code context} against two real primaries on loopback, each test with
 * its own home and config directory: what is stored, with which permissions, what later commands use, and that a
 * refused login stores nothing.
 */
class LoginAndContextsTest {
    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    static StewardServer a;
    static StewardServer b;
    static String tokenA;
    static String tokenB;

    @TempDir
    Path home;
    Environment env;
    Path config;

    @BeforeAll
    static void start() throws Exception {
        a = StewardServer.start(ServerConfig.defaults(dataA).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        b = StewardServer.start(ServerConfig.defaults(dataB).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        tokenA = a.adminToken();
        tokenB = b.adminToken();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @BeforeEach
    void ownHome() {
        // only the config directory: no STEWARD_* variables, and a home without ~/.steward, so nothing else resolves
        env = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home);
        config = home.resolve("xdg/steward/config");
    }

    private CliRunner steward(String... args) {
        return CliRunner.run(env, args);
    }

    @Test
    void loginStoresAPrivateFileThatLaterCommandsUseWithoutFlags() throws Exception {
        CliRunner login = steward("login", a.url(), "--token", tokenA, "--name", "a");

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out()).contains("logged in to " + a.url(), "as admin (admin)", "context a is now current")
                .doesNotContain(tokenA);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(config)).contains("\"current\" : \"a\"", a.url(), tokenA);

        CliRunner runs = steward("runs", "--json");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.json()).containsKey("runs");
        assertThat(steward("server-info").out()).contains("at " + a.url());
        assertThat(steward("context").out()).isEqualTo("a  " + a.url() + "\n");
    }

    @Test
    void twoContextsSwitchAndTheContextFlagPicksOneForOneCommand() {
        assertThat(steward("login", a.url(), "--token", tokenA, "--name", "a").exitCode()).isZero();
        assertThat(steward("login", b.url(), "--token", tokenB, "--name", "b").exitCode()).isZero();
        String viewer;
        try (StewardClient admin = adminOf(b)) {
            viewer = (String) admin.createToken("login-viewer", "viewer").get("token");
        }

        CliRunner list = steward("context", "list", "--json");
        assertThat(list.json()).containsEntry("current", "b").containsEntry("contexts", List.of(
                Map.of("name", "a", "server", a.url(), "loggedIn", true), Map.of("name", "b", "server", b.url(), "loggedIn", true)));
        assertThat(steward("context", "list").out()).contains("CURRENT", "*        b", a.url(), "stored").doesNotContain(tokenA);
        assertThat(reached()).isEqualTo(b.url());

        assertThat(steward("context", "use", "a").out()).contains("now using a (" + a.url() + ")");
        assertThat(reached()).isEqualTo(a.url());
        assertThat(steward("context", "--json").json()).containsEntry("name", "a");

        assertThat(reached("--context", "b")).isEqualTo(b.url());
        assertThat(steward("--context", "b", "server-info").out()).contains("at " + b.url());
        env = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString(), "STEWARD_CONTEXT", "b"), home);
        assertThat(reached()).isEqualTo(b.url());
        env = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home);
        CliRunner flagToken = steward("token", "list", "--context", "b", "--token", viewer);
        assertThat(flagToken.exitCode()).as("--token beats the context's token").isEqualTo(2);
        assertThat(flagToken.err()).contains("admin");

        CliRunner unknown = steward("runs", "--context", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: no context 'nope' (there are: a, b); see `steward context list`\n");

        assertThat(steward("context", "rm", "a").exitCode()).isZero();
        assertThat(steward("context").out()).contains("no current context", "steward context use NAME");
        assertThat(steward("context", "list", "--json").json()).containsEntry("current", null);
    }

    @Test
    void logoutRemovesTheStoredTokenAndKeepsTheContext() throws Exception {
        assertThat(steward("login", a.url(), "--token", tokenA).exitCode()).isZero();
        String name = LoginCommand.nameFor(a.url());
        assertThat(name).matches("127\\.0\\.0\\.1-\\d+");

        CliRunner logout = steward("logout");
        assertThat(logout.exitCode()).as(logout.err()).isZero();
        assertThat(logout.out()).contains("logged out of " + name);
        assertThat(Files.readString(config)).doesNotContain(tokenA).contains(a.url());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");

        CliRunner refused = steward("runs");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("steward login URL");
        assertThat(steward("context", "list", "--json").json().get("contexts"))
                .isEqualTo(List.of(Map.of("name", name, "server", a.url(), "loggedIn", false)));
        assertThat(steward("logout", "nope").exitCode()).isEqualTo(2);
    }

    @Test
    void aWrongTokenOrAnUnreachableServerIsRefusedAndNothingIsStored() throws Exception {
        CliRunner wrong = steward("login", a.url(), "--token", "stw_wrong");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).startsWith("error: the server at " + a.url() + " refused the token")
                .contains("--token", "steward token create").doesNotContain("at io.steward");
        assertThat(config).doesNotExist();
        assertThat(config.getParent()).doesNotExist();

        assertThat(steward("login", a.url(), "--token", tokenA, "--name", "a").exitCode()).isZero();
        byte[] before = Files.readAllBytes(config);

        assertThat(steward("login", a.url(), "--token", "stw_wrong", "--name", "a").exitCode()).isEqualTo(2);
        CliRunner unreachable = steward("login", "http://127.0.0.1:" + freePort(), "--token", tokenA, "--name", "gone");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the Steward server", "is it running?");
        CliRunner noToken = steward("login", b.url(), "--name", "b");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("no token for " + b.url(), "--token", "STEWARD_TOKEN");
        CliRunner badName = steward("login", b.url(), "--token", tokenB, "--name", "no spaces");
        assertThat(badName.exitCode()).isEqualTo(2);

        assertThat(Files.readAllBytes(config)).isEqualTo(before);
        try (var files = Files.list(config.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(config);
        }
    }

    @Test
    void theTokenMayComeFromTheEnvironment() {
        env = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString(), "STEWARD_TOKEN", tokenB), home);

        CliRunner login = steward("login", b.url(), "--name", "b", "--json");

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.json()).isEqualTo(Map.of("context", "b", "server", b.url(), "name", "admin", "role", "admin"));
    }

    /** Which server a command reaches: server-info names the URL it asked ("at http://…"). */
    private String reached(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "server-info";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRunner info = steward(all);
        assertThat(info.exitCode()).as(info.err()).isZero();
        return info.out().contains("at " + a.url() + "\n") ? a.url() : info.out().contains("at " + b.url() + "\n") ? b.url() : info.out();
    }

    private static StewardClient adminOf(StewardServer server) {
        return StewardClient.connect(server.url(), server == a ? tokenA : tokenB);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
