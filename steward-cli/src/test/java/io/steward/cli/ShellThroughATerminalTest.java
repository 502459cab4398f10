package io.steward.cli;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code steward shell} as a person uses it: a real JVM in a real pseudo-terminal ({@link Tmux}) against a real
 * primary on loopback — run a script and read its status, stop a {@code watch} with Ctrl-C and stay in the shell,
 * complete a script name with Tab, and find the history again in a new shell.
 */
class ShellThroughATerminalTest {
    private static final Duration SCREEN = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static StewardServer server;
    static String token;

    @TempDir
    Path home;
    Tmux tmux;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        token = server.adminToken();
        try (StewardClient admin = admin()) {
            admin.pushScript("shell/hello.groovy", "status.set('phase', 'greeted'); 'hi ' + (args.who ?: 'there')");
            admin.pushScript("shell/forever.groovy", "status.set('phase', 'waiting'); sleep(600_000)");
            admin.pushScript("shell/completion-target.groovy", "'done'");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void killTheTerminal() {
        if (tmux != null) {
            tmux.close();
        }
    }

    private static StewardClient admin() {
        return StewardClient.connect(server.url(), token);
    }

    /** The shell in a terminal: this test's JVM and classpath, its own home, the token from the environment. */
    private Tmux shell(String... args) throws Exception {
        Tmux started = steward("export STEWARD_TOKEN='" + token + "'", "shell " + String.join(" ", args));
        await().atMost(SCREEN).until(() -> started.screen().contains("connected to " + server.url()));
        // Keys sent before the prompt reach a terminal not yet in raw mode, and an arrow key is lost there.
        await().atMost(SCREEN).until(() -> started.screen().strip().endsWith(">"));
        return started;
    }

    /** {@code steward ARGS} in a terminal, after the shell lines {@code setup}, with this test's home and config. */
    private Tmux steward(String setup, String args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = home.resolve("steward.sh");
        Files.writeString(script, String.join("\n",
                "export HOME='" + home + "' XDG_CONFIG_HOME='" + home.resolve("xdg") + "'",
                "export CLASSPATH='" + System.getProperty("java.class.path") + "'",
                "unset STEWARD_SERVER STEWARD_TOKEN STEWARD_CONTEXT STEWARD_DATA NO_COLOR",
                setup,
                "exec '" + java + "' --enable-native-access=ALL-UNNAMED io.steward.cli.Steward " + args,
                ""));
        return Tmux.start(script);
    }

    private void awaitScreen(String text) {
        await().atMost(SCREEN).untilAsserted(() -> assertThat(tmux.screen()).contains(text));
    }

    @Test
    void runsAScriptAndShowsItsStatus() throws Exception {
        tmux = shell(server.url());
        awaitScreen("steward 127.0.0.1:" + port() + ">");

        tmux.type("run shell/hello.groovy --arg who=tmux --wait");
        tmux.send("Enter");
        awaitScreen("shell/hello.groovy: SUCCEEDED");
        Matcher id = Pattern.compile("run (\\w{26}) shell/hello.groovy: SUCCEEDED").matcher(tmux.screen());
        assertThat(id.find()).isTrue();
        assertThat(tmux.screen()).contains("result: \"hi tmux\"");

        tmux.type("status " + id.group(1));
        tmux.send("Enter");
        awaitScreen("status   phase = greeted");
        assertThat(tmux.screen()).contains("run " + id.group(1) + "  shell/hello.groovy v1  SUCCEEDED");

        tmux.type("nosuch");
        tmux.send("Enter");
        awaitScreen("unknown command 'nosuch'");
        tmux.type("connect http://127.0.0.1:1");
        tmux.send("Enter");
        awaitScreen("cannot reach the Steward server at http://127.0.0.1:1");
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).as("still on the old server")
                .isEqualTo("steward 127.0.0.1:" + port() + ">"));
        tmux.send("C-d");
        await().atMost(SCREEN).until(tmux::ended);
    }

    @Test
    void ctrlCStopsAWatchAndTheShellGoesOn() throws Exception {
        String id;
        try (StewardClient admin = admin()) {
            id = (String) admin.invoke("shell/forever.groovy", Map.of()).get("id");
        }
        try {
            tmux = shell(server.url());
            tmux.type("watch " + id);
            tmux.send("Enter");
            awaitScreen("Ctrl-C stops watching, not the run");

            tmux.send("C-c");
            awaitScreen("stopped");
            await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).isEqualTo("steward 127.0.0.1:" + port() + ">"));
            assertThat(tmux.ended()).isFalse();

            tmux.type("status " + id);
            tmux.send("Enter");
            awaitScreen("status   phase = waiting");
            try (StewardClient admin = admin()) {
                assertThat(admin.run(id)).as("Ctrl-C stopped the watch, not the run").containsEntry("state", "RUNNING");
            }
        } finally {
            try (StewardClient admin = admin()) {
                admin.cancel(id);
            }
        }
    }

    @Test
    void tabCompletesAScriptNameAndHistoryOutlivesTheShell() throws Exception {
        tmux = shell(server.url());
        tmux.type("run shell/compl");
        tmux.send("Tab");
        awaitScreen("run shell/completion-target.groovy");
        tmux.type("--wait");
        tmux.send("Enter");
        awaitScreen("shell/completion-target.groovy: SUCCEEDED");
        tmux.type("exit");
        tmux.send("Enter");
        await().atMost(SCREEN).until(tmux::ended);
        tmux.close();
        assertThat(Files.readString(home.resolve("xdg/steward/history"))).contains("run shell/completion-target.groovy --wait");

        tmux = shell(server.url());
        tmux.send("Up");
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).endsWith("> exit"));
        tmux.send("Up");
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).endsWith("> run shell/completion-target.groovy --wait"));
    }

    @Test
    void loginAsksForTheTokenWithoutShowingItAndTheShellFollowsTheContexts() throws Exception {
        tmux = steward("", "login " + server.url() + " --name lab");
        awaitScreen("token for " + server.url() + ":");
        tmux.type(token);
        tmux.send("Enter");
        awaitScreen("context lab is now current");
        assertThat(tmux.screen()).doesNotContain(token);
        await().atMost(SCREEN).until(tmux::ended);
        tmux.close();

        Environment sameHome = new Environment(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home);
        assertThat(CliRunner.run(sameHome, "login", server.url(), "--token", token, "--name", "other").exitCode()).isZero();
        assertThat(CliRunner.run(sameHome, "context", "use", "lab").exitCode()).isZero();

        tmux = steward("", "shell");
        awaitScreen("connected to " + server.url());
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).isEqualTo("steward lab>"));
        tmux.type("connect other");
        tmux.send("Enter");
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).isEqualTo("steward other>"));
        tmux.type("context use lab");
        tmux.send("Enter");
        await().atMost(SCREEN).untilAsserted(() -> assertThat(lastLine()).isEqualTo("steward lab>"));
        assertThat(tmux.screen()).contains("now using lab");
    }

    @Test
    void withoutATerminalItReadsPlainLinesAndPrintsNoPromptNorColour() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward",
                "shell", server.url()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("STEWARD_") || name.equals("NO_COLOR"));
        builder.environment().putAll(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("xdg").toString(),
                "STEWARD_TOKEN", token, "TERM", "xterm-256color"));
        Process shell = builder.start();
        shell.getOutputStream().write("run shell/hello.groovy --wait\nstatus nosuch\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        shell.getOutputStream().close();
        String out = new String(shell.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(shell.waitFor()).as(out).isZero();
        assertThat(out).contains("connected to " + server.url(), "shell/hello.groovy: SUCCEEDED", "error: no run")
                .doesNotContain("\u001b[", "steward 127.0.0.1");
    }

    private String lastLine() {
        return tmux.screen().strip().lines().reduce((first, second) -> second).orElse("");
    }

    private static int port() {
        return java.net.URI.create(server.url()).getPort();
    }
}
