package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@ForEachSpawner
class TimeoutKillsWholeTreeTest {
    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();

    private final List<ProcessHandle> started = new ArrayList<>();

    TimeoutKillsWholeTreeTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void cleanUp() {
        processes.close();
        Pids.killAll(started);
    }

    @Test
    void timeoutKillsTheProcessAndItsGrandchild() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.shell("sleep 600 & echo $!; wait")
                .withTimeout(Duration.ofMillis(700)), "run-1", listener);
        ExecResult r = p.waitFor();

        long grandchild = Long.parseLong(r.stdout().strip());
        started.addAll(Pids.handles(List.of(p.pid(), grandchild)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.killed()).isTrue();
        assertThat(r.exitCode()).as("128 + SIGKILL").isEqualTo(137);
        assertThat(r.durationMs()).isBetween(700L, 10_000L);
        Pids.awaitGone(List.of(p.pid(), grandchild));
        assertThat(processes.list()).isEmpty();
    }

    @Test
    void processEndingBeforeItsTimeoutIsNotTimedOut() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell("echo quick").withTimeout(Duration.ofSeconds(20)), "run-1", listener)
                .waitFor();

        assertThat(r.timedOut()).isFalse();
        assertThat(r.killed()).isFalse();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("quick\n");
    }
}
