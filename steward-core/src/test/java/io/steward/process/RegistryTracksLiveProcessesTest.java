package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry knows every live process and the run that owns it, and forgets a process once it ended. */
@Timeout(30)
@ForEachSpawner
class RegistryTracksLiveProcessesTest {
    private static final List<String> SLEEP = List.of("sleep", "600");

    private final LocalProcesses processes;

    RegistryTracksLiveProcessesTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    @Test
    void listShowsPidCommandOwnerAndStartTimeWhileRunning() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        Instant before = Instant.now();
        LocalProcess one = processes.launch(ProcessSpec.argv(SLEEP), "run-1", listener);
        LocalProcess two = processes.launch(ProcessSpec.shell("sleep 600"), "run-2", ProcessListener.NONE);
        Instant after = Instant.now();

        assertThat(processes.list()).extracting(ProcessInfo::pid).containsExactlyInAnyOrder(one.pid(), two.pid());
        ProcessInfo info = processes.ownedBy("run-1").getFirst();
        assertThat(processes.ownedBy("run-1")).containsExactly(info);
        assertThat(info.pid()).isEqualTo(one.pid());
        assertThat(info.command()).isEqualTo(SLEEP);
        assertThat(info.owner()).isEqualTo("run-1");
        assertThat(info.startedAt()).isBetween(before, after);
        assertThat(one.info()).isEqualTo(info);
        assertThat(listener.started).containsExactly(info);
        assertThat(processes.ownedBy("run-2")).extracting(ProcessInfo::command)
                .containsExactly(List.of("/bin/sh", "-c", "sleep 600"));

        one.kill();
        assertThat(one.waitFor(Duration.ofSeconds(10))).isNotNull();

        assertThat(processes.list()).extracting(ProcessInfo::pid).containsExactly(two.pid());
        assertThat(processes.ownedBy("run-1")).isEmpty();
    }

    @Test
    void processThatEndsByItselfIsForgotten() throws InterruptedException {
        LocalProcess p = processes.launch(ProcessSpec.argv(List.of("true")), "run-1", ProcessListener.NONE);

        p.waitFor();

        assertThat(processes.list()).isEmpty();
        assertThat(processes.ownedBy("run-1")).isEmpty();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void onExitCompletesWithTheResult() throws Exception {
        LocalProcess p = processes.launch(ProcessSpec.shell("exit 7"), "run-1", ProcessListener.NONE);

        assertThat(p.onExit().get().exitCode()).isEqualTo(7);
        assertThat(p.waitFor()).isEqualTo(p.onExit().get());
    }

    @Test
    void closedRegistryRefusesToLaunch() {
        processes.close();

        assertThatThrownBy(() -> processes.launch(ProcessSpec.argv(SLEEP).withTimeout(Duration.ofMinutes(1)), "run-1",
                ProcessListener.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(processes.list()).isEmpty();
    }
}
