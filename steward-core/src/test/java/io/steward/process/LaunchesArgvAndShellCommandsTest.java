package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.process.fixtures.ExitWith;
import io.steward.process.fixtures.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
@ForEachSpawner
class LaunchesArgvAndShellCommandsTest {
    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();

    LaunchesArgvAndShellCommandsTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    private ExecResult run(ProcessSpec spec) throws InterruptedException {
        return processes.launch(spec, "run-1", listener).waitFor();
    }

    @Test
    void argvPassesEachArgumentAsIsWithoutAShell() throws InterruptedException {
        ExecResult r = run(ProcessSpec.argv(List.of("printf", "%s|%s\\n", "a b $HOME", "'c'")));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("a b $HOME|'c'\n");
    }

    @Test
    void shellCommandRunsThroughTheShell() throws InterruptedException {
        ExecResult r = run(ProcessSpec.shell("echo $((1 + 2)) | tr 3 x; echo oops >&2"));

        assertThat(r.stdout()).isEqualTo("x\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
    }

    @Test
    void nonZeroExitIsAResultWithItsOutput() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.argv(Fixtures.java(ExitWith.class, 42)), "run-1", listener);
        ExecResult r = p.waitFor();

        assertThat(r.exitCode()).isEqualTo(42);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.pid()).isEqualTo(p.pid());
        assertThat(r.timedOut()).isFalse();
        assertThat(r.killed()).isFalse();
        assertThat(r.durationMs()).isPositive();
        assertThat(listener.exited).containsExactly(r);
        assertThat(r.toMap()).containsEntry("exitCode", 42L).containsEntry("truncated", false);
    }

    @Test
    void shellExitCodeIsTheResult() throws InterruptedException {
        assertThat(run(ProcessSpec.shell("exit 3")).exitCode()).isEqualTo(3);
        assertThat(run(ProcessSpec.argv(List.of("true"))).exitCode()).isZero();
    }

    @Test
    void signalEndingTheProcessGivesExitCode128PlusItsNumber() throws InterruptedException {
        assertThat(run(ProcessSpec.shell("kill -TERM $$; sleep 5")).exitCode()).as("128 + SIGTERM").isEqualTo(143);
    }

    @Test
    void executableWithoutAShebangRunsThroughTheShell(@TempDir Path dir) throws InterruptedException, IOException {
        Path script = Files.writeString(dir.resolve("plain-script"), "echo \"plain $1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        ExecResult r = run(ProcessSpec.argv(List.of(script.toString(), "script")));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("plain script\n");
    }

    @Test
    void childHoldsOnlyItsStandardStreams(@TempDir Path dir) throws InterruptedException, IOException {
        // A descriptor this JVM holds open while the child starts must not leak into it.
        Path held = Files.writeString(dir.resolve("held"), "x");
        try (var open = Files.newInputStream(held)) {
            ExecResult r = run(ProcessSpec.argv(List.of("ls", "-1", "/proc/self/fd")));

            // 0, 1 and 2, and the directory ls itself opened to list them.
            assertThat(r.stdout().lines().toList()).containsExactly("0", "1", "2", "3");
        }
    }

    @Test
    void runsInTheGivenWorkingDirectory(@TempDir Path dir) throws InterruptedException, IOException {
        ExecResult r = run(ProcessSpec.argv(List.of("pwd", "-P")).withDir(dir));

        assertThat(r.stdout()).isEqualTo(dir.toRealPath() + "\n");
    }

    @Test
    void environmentIsAddedToTheInheritedOne() throws InterruptedException {
        ExecResult r = run(ProcessSpec.shell("echo \"$STEWARD_GREETING|$PATH\"")
                .withEnv(Map.of("STEWARD_GREETING", "hello world")));

        assertThat(r.stdout()).isEqualTo("hello world|" + System.getenv("PATH") + "\n");
    }

    @Test
    void environmentReplacesAnInheritedVariable() throws InterruptedException {
        ExecResult r = run(ProcessSpec.shell("echo \"$PATH\"").withEnv(Map.of("PATH", "/bin:/usr/bin")));

        assertThat(r.stdout()).isEqualTo("/bin:/usr/bin\n");
    }

    @Test
    void stdinIsDeliveredThenClosed() throws InterruptedException {
        // cat ends only once its stdin is closed.
        ExecResult r = run(ProcessSpec.argv(List.of("cat")).withStdin("line one\nzwei – ü\n"));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("line one\nzwei – ü\n");
        assertThat(listener.lines(StdStream.STDOUT)).containsExactly("line one", "zwei – ü");
    }

    @Test
    void withoutStdinTheProcessReadsEndOfInput() throws InterruptedException {
        ExecResult r = run(ProcessSpec.argv(List.of("cat")));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void stdinTheProcessDoesNotReadIsNotAnError() throws InterruptedException {
        ExecResult r = run(ProcessSpec.shell("exit 0").withStdin("x".repeat(1 << 20)));

        assertThat(r.exitCode()).isZero();
    }

    @Test
    void missingProgramFailsToLaunchNamingTheProgram() {
        assertThatThrownBy(() -> processes.launch(ProcessSpec.argv(List.of("/no/such/steward-program", "x")),
                "run-1", listener))
                .isInstanceOf(ProcessLaunchException.class)
                .hasMessageContaining("/no/such/steward-program");
        assertThat(listener.started).isEmpty();
        assertThat(processes.list()).isEmpty();
    }

    @Test
    void missingWorkingDirectoryFailsToLaunchNamingTheDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("gone");

        assertThatThrownBy(() -> processes.launch(ProcessSpec.argv(List.of("true")).withDir(missing), "run-1", listener))
                .isInstanceOf(ProcessLaunchException.class)
                .hasMessageContaining("true")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void scriptThreadsAreVirtualAndLaunchTheSame() throws Exception {
        // A script calls exec from a virtual thread; the posix spawner then spawns on a platform thread of its own.
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                ExecResult ok = run(ProcessSpec.shell("echo from a virtual thread"));
                assertThatThrownBy(() -> run(ProcessSpec.argv(List.of("/no/such/steward-program"))))
                        .isInstanceOf(ProcessLaunchException.class)
                        .hasMessageContaining("/no/such/steward-program");
                outcome.set(ok);
            } catch (Throwable e) {
                outcome.set(e);
            }
        }).join();

        assertThat(outcome.get()).isInstanceOf(ExecResult.class);
        assertThat(((ExecResult) outcome.get()).stdout()).isEqualTo("from a virtual thread\n");
    }

    @Test
    void emptyCommandIsRefused() {
        assertThatThrownBy(() -> ProcessSpec.argv(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessSpec.argv(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
