package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@ForEachSpawner
class WaitingForAProcessTest {
    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();

    private final List<ProcessHandle> started = new ArrayList<>();

    WaitingForAProcessTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void cleanUp() {
        processes.close();
        Pids.killAll(started);
    }

    @Test
    void waitForWithATimeoutReturnsNullWhileRunning() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.argv(Fixtures.java(Sleeper.class, 600_000)), "run-1", listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.lines(StdStream.STDOUT).contains("sleeping"));

        assertThat(p.waitFor(Duration.ofMillis(200))).isNull();
        assertThat(p.isAlive()).isTrue();
        assertThat(processes.list()).hasSize(1);

        p.kill();
        ExecResult r = p.waitFor(Duration.ofSeconds(10));
        assertThat(r).isNotNull();
        assertThat(r.stdout()).isEqualTo("sleeping\n");
    }

    @Test
    void waitForOnAnInterruptedThreadKillsTheTree() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.shell("sleep 600 & echo $!; wait"), "run-1", listener);
        long grandchild = await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.lines(StdStream.STDOUT), lines -> !lines.isEmpty())
                .stream().mapToLong(Long::parseLong).findFirst().orElseThrow();
        started.addAll(Pids.handles(List.of(p.pid(), grandchild)));

        Thread.currentThread().interrupt();
        assertThatThrownBy(p::waitFor).isInstanceOf(InterruptedException.class);

        Pids.awaitGone(List.of(p.pid(), grandchild));
        ExecResult r = p.waitFor(Duration.ofSeconds(10));
        assertThat(r).isNotNull();
        assertThat(r.killed()).isTrue();
    }

    @Test
    void waitForInterruptedWhileBlockedKillsTheTree() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.shell("sleep 600 & echo $!; wait"), "run-1", listener);
        long grandchild = await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.lines(StdStream.STDOUT), lines -> !lines.isEmpty())
                .stream().mapToLong(Long::parseLong).findFirst().orElseThrow();
        started.addAll(Pids.handles(List.of(p.pid(), grandchild)));
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                p.waitFor();
            } catch (InterruptedException expected) {
                // the point of the test
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);

        waiter.interrupt();

        Pids.awaitGone(List.of(p.pid(), grandchild));
        waiter.join(Duration.ofSeconds(5));
        assertThat(waiter.isAlive()).isFalse();
    }
}
