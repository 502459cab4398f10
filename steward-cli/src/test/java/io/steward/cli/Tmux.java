package io.steward.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real pseudo-terminal for tests of interactive commands: a tmux server of its own (a socket name no other test or
 * user shares) running one command in a 200×50 window; keys go in with {@code send-keys}, the screen comes back with
 * {@code capture-pane}. Without tmux the tests skip locally but fail under CI=true, where .ci/run installs it.
 */
final class Tmux implements AutoCloseable {
    static final Path TMUX = Path.of("/usr/bin/tmux");

    private final String socket = "steward-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Starts {@code script} (a shell script file) in a new detached session. */
    static Tmux start(Path script) {
        if (!Files.isExecutable(TMUX)) {
            String why = "the terminal tests need " + TMUX + " (apt-get install tmux)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Tmux tmux = new Tmux();
        tmux.tmux("-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "sh " + script.toAbsolutePath());
        // keep the window when the command ends, so a test can read what it printed last
        tmux.tmux("set-option", "-g", "remain-on-exit", "on");
        return tmux;
    }

    /** Keys as tmux names them: text, or {@code Enter}, {@code Tab}, {@code C-c}, {@code C-d}, {@code Up}. */
    void send(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Text typed literally (no key names), so that a word like "Enter" inside it stays text. */
    void type(String text) {
        tmux("send-keys", "-t", "0", "-l", "--", text);
    }

    /** What the window shows now, lines without trailing blanks. */
    String screen() {
        return tmux("capture-pane", "-p", "-t", "0", "-S", "-200");
    }

    /** Whether the command in the window has ended. */
    boolean ended() {
        return tmux("display-message", "-p", "-t", "0", "#{pane_dead}").strip().equals("1");
    }

    /**
     * Kills the tmux server and waits for the command's process to end: killed with its terminal, a JVM still runs
     * its shutdown (the shell saves its history) and would write into a temp directory JUnit is deleting.
     */
    @Override
    public void close() {
        Result pid = run(List.of("display-message", "-p", "-t", "0", "#{pane_pid}"));
        run(List.of("kill-server"));
        if (pid.code() == 0 && pid.output().strip().matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(pid.output().strip())).ifPresent(process -> {
                try {
                    process.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
            });
        }
    }

    /** Runs a tmux command of this server; one that fails fails the test, with what tmux said. */
    private String tmux(String... args) {
        Result result = run(List.of(args));
        if (result.code() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed (" + result.code() + "): " + result.output());
        }
        return result.output();
    }

    private record Result(int code, String output) {
    }

    private Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tmux " + String.join(" ", args) + " did not end");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
