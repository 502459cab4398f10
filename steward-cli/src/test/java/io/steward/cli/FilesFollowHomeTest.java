package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code HOME=/tmp/x steward …} keeps the data folder and the CLI's config under {@code /tmp/x}: the real CLI in
 * JVMs of their own, each given a {@code HOME} and, as {@code user.home} (what the JVM reads from the passwd entry),
 * a decoy folder that must stay empty. A default path built from {@code user.home} again would land in the decoy.
 */
class FilesFollowHomeTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path home;

    @TempDir
    Path passwdHome;

    @TempDir
    Path logs;

    @Test
    void theDemoKeepsItsDataFolderUnderHome() throws Exception {
        Process demo = steward(Map.of(), "demo", "--examples", EXAMPLES.toString(), "--port", "0", "--exit");
        assertThat(demo.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the demo ends").isTrue();
        assertThat(demo.exitValue()).as(log("demo")).isZero();

        Path data = home.resolve(".steward");
        assertThat(Files.readString(data.resolve("admin.token"))).startsWith("stw_");
        assertThat(h2Files(data)).as("the H2 database in " + data).isNotEmpty();
        assertThat(passwdHome).as("the passwd entry's home").isEmptyDirectory();
    }

    @Test
    void theServerTheLocalCommandsAndTheConfigFollowHomeAndXdgConfigHome() throws Exception {
        Path data = home.resolve(".steward");
        Process server = steward(Map.of(), "server", "--port", "0", "--bind", "127.0.0.1");
        try {
            // the server.url in the decoy too, so that a regression fails at once instead of at the timeout
            await().atMost(PATIENCE).until(() -> Files.exists(data.resolve("server.url")) || !server.isAlive()
                    || Files.exists(passwdHome.resolve(".steward/server.url")));
            assertThat(server.isAlive()).as(log("server")).isTrue();
            assertThat(data.resolve("server.url")).as("the server's data folder follows HOME").isRegularFile();
            String url = Files.readString(data.resolve("server.url")).strip();
            String token = Files.readString(data.resolve("admin.token")).strip();
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(h2Files(data)).as("the H2 database in " + data).isNotEmpty();

            // no context anywhere: the command finds this server and its token through $HOME/.steward
            assertThat(run(Map.of("XDG_CONFIG_HOME", home.resolve("empty-xdg").toString()), "runs", "--json"))
                    .as(log("runs")).isZero();

            assertThat(run(Map.of(), "login", url, "--token", token)).as(log("login")).isZero();
            assertThat(home.resolve(".config/steward/config")).isRegularFile();

            Path xdg = home.resolve("xdg");
            assertThat(run(Map.of("XDG_CONFIG_HOME", xdg.toString()), "login", url, "--token", token, "--name", "other"))
                    .as(log("login")).isZero();
            assertThat(xdg.resolve("steward/config")).isRegularFile();
            assertThat(Files.readString(xdg.resolve("steward/config"))).contains("other");
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertThat(passwdHome).as("the passwd entry's home").isEmptyDirectory();
    }

    /** Runs one command to its end; answers its exit code. */
    private int run(Map<String, String> env, String... args) throws Exception {
        Process p = steward(env, args);
        assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(args[0] + " ends").isTrue();
        return p.exitValue();
    }

    /**
     * {@code steward args} from this build's class path with {@code HOME} set to {@link #home}, {@code user.home} to
     * {@link #passwdHome}, and without the developer's {@code STEWARD_*} and {@code XDG_CONFIG_HOME}; then {@code env}.
     */
    private Process steward(Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Duser.home=" + passwdHome, "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(args[0] + ".log").toFile());
        Map<String, String> vars = builder.environment();
        vars.keySet().removeIf(name -> name.startsWith("STEWARD_") || name.equals("XDG_CONFIG_HOME"));
        vars.put("HOME", home.toString());
        vars.putAll(env);
        return builder.start();
    }

    private String log(String command) {
        try {
            return Files.readString(logs.resolve(command + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static List<Path> h2Files(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).toList();
        }
    }
}
