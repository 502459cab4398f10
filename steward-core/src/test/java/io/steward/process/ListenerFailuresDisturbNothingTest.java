package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.Spammer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener is the coordinator's code (it appends events, which may reach a failing store): whatever it
 * throws, the process runs on, its output is read and its result arrives.
 */
@Timeout(30)
@ForEachSpawner
class ListenerFailuresDisturbNothingTest {
    private static final int WIDTH = 99;

    private final LocalProcesses processes;

    ListenerFailuresDisturbNothingTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    @Test
    void listenerThatThrowsOnOutputDoesNotStopTheOutputBeingRead() throws InterruptedException {
        int count = 30_000; // 3 MB: far more than a pipe holds, so the process needs its output read
        List<String> heard = new CopyOnWriteArrayList<>();
        ProcessListener failsOnFirstLine = new ProcessListener() {
            @Override
            public void output(ProcessInfo process, StdStream stream, String line) {
                if (line.equals(Spammer.line(0, WIDTH))) {
                    throw new IllegalStateException("the event store is down");
                }
                heard.add(line);
            }
        };

        LocalProcess p = processes.launch(ProcessSpec.argv(Fixtures.java(Spammer.class, "lines", "out", count, WIDTH)),
                "run-1", failsOnFirstLine);
        ExecResult r = p.waitFor(Duration.ofSeconds(20));

        assertThat(r).as("the result: the process was not left blocked on a full pipe").isNotNull();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith(Spammer.line(0, WIDTH) + "\n" + Spammer.line(1, WIDTH) + "\n");
        List<String> later = IntStream.range(1, count).mapToObj(i -> Spammer.line(i, WIDTH)).toList();
        assertThat(heard.equals(later)).as("every later line heard, in order").isTrue();
    }

    @Test
    void listenerThatThrowsOnStartAndExitStillGetsAWatchedProcess() throws InterruptedException {
        List<String> heard = new CopyOnWriteArrayList<>();
        ProcessListener failsOnStartAndExit = new ProcessListener() {
            @Override
            public void started(ProcessInfo process) {
                throw new IllegalStateException("the event store is down");
            }

            @Override
            public void output(ProcessInfo process, StdStream stream, String line) {
                heard.add(line);
            }

            @Override
            public void exited(ProcessInfo process, ExecResult result) {
                throw new IllegalStateException("still down");
            }
        };

        LocalProcess p = processes.launch(ProcessSpec.shell("echo hi"), "run-1", failsOnStartAndExit);
        ExecResult r = p.waitFor(Duration.ofSeconds(10));

        assertThat(r).isNotNull();
        assertThat(r.stdout()).isEqualTo("hi\n");
        assertThat(heard).containsExactly("hi");
        assertThat(processes.list()).isEmpty();
    }
}
