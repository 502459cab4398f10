package io.steward.coordinator;

import io.steward.process.Pids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing script thread, a cancel and a timeout each end the run and kill its local process trees: a
 * {@code sleep 600} child and the grandchild it started are gone afterwards.
 */
class StoppingKillsProcessTreesTest {
    /** Starts a shell whose child is a sleep 600; records both pids in shared data, then blocks. */
    private static final String TREE = """
            def p = start('sleep 600 & echo $!; wait')
            while (!p.output.contains('\\n')) { sleep(5) }
            shared.put('pids', [p.pid, p.output.trim() as long])
            """;

    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void aFailingThreadFailsTheRunAndKillsTheTree() throws Exception {
        RunHandle run = scripts.write("fail.groovy", TREE + """
                def worker = spawn { sleep(600_000) }
                spawn {
                    while (!new File(args.trigger).exists()) { sleep(5) }
                    throw new IllegalStateException('worker exploded')
                }
                worker.join()
                """).start("fail.groovy", Map.of("trigger", scripts.dir().resolve("go").toString()));
        List<Long> pids = awaitPids(run);
        Files.createFile(scripts.dir().resolve("go"));
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(end.error().message()).isEqualTo("worker exploded");
        assertThat(end.error().line()).isEqualTo(7);
        assertGone(pids);
    }

    @Test
    void cancelEndsTheRunAndKillsTheTree() throws Exception {
        RunHandle run = scripts.write("cancel.groovy", TREE + "sleep(600_000)").start("cancel.groovy", Map.of());
        List<Long> pids = awaitPids(run);
        assertThat(scripts.coordinator().cancel(run.id(), "by the test")).isTrue();
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertThat(end.error().message()).contains("by the test");
        assertGone(pids);
        assertThat(scripts.coordinator().cancel(run.id(), "again")).as("a finished run cannot be cancelled").isFalse();
    }

    @Test
    void cancelStopsABusyLoop() throws Exception {
        RunHandle run = scripts.write("busy.groovy", "shared.put('in', true); long n = 0; while (true) { n++ }")
                .start("busy.groovy", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> run.snapshot().shared().containsKey("in"));
        scripts.coordinator().cancel(run.id(), null);
        RunSnapshot end = run.await(Duration.ofSeconds(3));
        assertThat(end.state()).isEqualTo(RunState.CANCELLED);
        assertThat(end.threads()).isEmpty();
    }

    @Test
    void timeoutEndsTheRunAndKillsTheTree() throws Exception {
        scripts.write("slow.groovy", TREE + "sleep(600_000)");
        RunHandle run = scripts.coordinator().invoke(InvokeRequest.of("slow.groovy").withTimeout(Duration.ofSeconds(2)));
        List<Long> pids = awaitPids(run);
        RunSnapshot end = run.await(Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(end.error().message()).isEqualTo("timed out after 2s");
        assertGone(pids);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> awaitPids(RunHandle run) {
        await().atMost(Duration.ofSeconds(20)).until(() -> run.snapshot().shared().containsKey("pids"));
        List<Long> pids = new ArrayList<>((List<Long>) run.snapshot().shared().get("pids"));
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(Pids.running(pid)).as("pid %d before", pid).isTrue());
        return pids;
    }

    private static void assertGone(List<Long> pids) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(pids).allSatisfy(pid -> assertThat(Pids.running(pid)).as("pid %d after", pid).isFalse()));
    }
}
