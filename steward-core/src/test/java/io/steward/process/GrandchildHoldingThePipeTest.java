package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.ForksGrandchild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process that leaves a background child behind ends when it exits, even though that child still
 * holds its stdout open and so the output never reaches end-of-file.
 */
@Timeout(30)
@ForEachSpawner
class GrandchildHoldingThePipeTest {
    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();
    private final List<ProcessHandle> leftBehind = new ArrayList<>();

    GrandchildHoldingThePipeTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void cleanUp() {
        processes.close();
        Pids.killAll(leftBehind);
    }

    @Test
    void shellLeavingABackgroundSleepEndsWithinSeconds() throws InterruptedException {
        long start = System.nanoTime();
        LocalProcess p = processes.launch(ProcessSpec.shell("sleep 600 & echo $!"), "run-1", listener);
        ExecResult r = p.waitFor(Duration.ofSeconds(10));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r).as("the result, within 10 s").isNotNull();
        long grandchild = Long.parseLong(r.stdout().strip());
        leftBehind.addAll(Pids.handles(List.of(grandchild)));
        assertThat(r.exitCode()).isZero();
        assertThat(r.killed()).isFalse();
        assertThat(elapsedMs).isLessThan(5_000);
        assertThat(listener.lines(StdStream.STDOUT)).containsExactly(Long.toString(grandchild));
        assertThat(Pids.running(grandchild)).as("the grandchild is not ours to kill once its parent is gone").isTrue();
        assertThat(processes.list()).isEmpty();
    }

    @Test
    void javaProcessLeavingAChildEndsWithinSeconds() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.argv(Fixtures.java(ForksGrandchild.class, 0)), "run-1", listener);
        ExecResult r = p.waitFor(Duration.ofSeconds(15));

        assertThat(r).as("the result, within 15 s").isNotNull();
        leftBehind.addAll(Pids.handles(List.of(Long.parseLong(r.stdout().strip()))));
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void unfinishedLastLineArrivesBeforeTheExitAndNothingAfterIt() throws InterruptedException {
        // The sleep keeps stdout open, so the reader is still blocked on it when the shell exits.
        LocalProcess p = processes.launch(ProcessSpec.shell("sleep 600 & echo $! >&2; printf partial; sleep 0.3"),
                "run-1", listener);
        ExecResult r = p.waitFor(Duration.ofSeconds(10));
        assertThat(r).isNotNull();
        long grandchild = Long.parseLong(r.stderr().strip());
        leftBehind.addAll(Pids.handles(List.of(grandchild)));

        assertThat(r.stdout()).isEqualTo("partial");
        assertThat(listener.stdoutAtExit).containsExactly("partial");

        // Once the pipe's last writer is gone the abandoned reader wakes up: it must stay quiet.
        ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        Pids.awaitGone(List.of(grandchild));
        await("no output line after exited()").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> listener.linesAfterExit == 0);
    }
}
