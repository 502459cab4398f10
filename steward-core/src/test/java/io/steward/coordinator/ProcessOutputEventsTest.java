package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Process output streams into the run as events (claims 36–37) while the script gets a capped copy. */
class ProcessOutputEventsTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void fiveMebibytesArriveCompletelyAsEventsWhileStdoutIsCapped() throws Exception {
        // 65,536 lines of 79 characters plus a newline: 5 MiB exactly.
        String line = "abcdefghijklmnopqrstuvwxyz".repeat(4).substring(0, 79);
        RunSnapshot run = scripts.run("flood.groovy", """
                def r = exec("yes 'LINE' | head -n 65536")
                [exitCode: r.exitCode, length: r.stdout.length(), truncated: r.truncated, stdoutTruncated: r.stdoutTruncated]
                """.replace("LINE", line));
        assertThat(run.result()).isEqualTo(Map.of("exitCode", 0L, "length", (long) (1 << 20), "truncated", true,
                "stdoutTruncated", true));
        List<RunEvent> output = scripts.events(run.id(), "output");
        assertThat(output).hasSize(65_536);
        assertThat(output.stream().mapToLong(e -> ((String) e.data().get("line")).length() + 1).sum()).isEqualTo(5L << 20);
        assertThat(output).allSatisfy(e -> assertThat(e.data()).containsEntry("stream", "stdout"));
    }

    @Test
    void processStartAndExitAreEvents() throws Exception {
        RunSnapshot run = scripts.run("proc.groovy", "exec(['sh', '-c', 'echo out; echo err >&2; exit 4']).exitCode");
        assertThat(run.result()).isEqualTo(4L);
        List<RunEvent> process = scripts.events(run.id(), "process");
        assertThat(process).extracting(e -> e.data().get("action")).containsExactly("started", "exited");
        assertThat(process.getLast().data()).containsEntry("exitCode", 4L);
        assertThat(scripts.events(run.id(), "output")).extracting(e -> e.data().get("stream") + ":" + e.data().get("line"))
                .containsExactlyInAnyOrder("stdout:out", "stderr:err");
    }

    @Test
    void aRunningProcessAppearsInTheSnapshotAndTheRegistry() throws Exception {
        RunHandle handle = scripts.write("wait.groovy", "def p = start('sleep 600'); shared.put('pid', p.pid); p.waitFor()")
                .start("wait.groovy", Map.of());
        org.awaitility.Awaitility.await().until(() -> handle.snapshot().shared().containsKey("pid"));
        long pid = (Long) handle.snapshot().shared().get("pid");
        assertThat(handle.snapshot().processes()).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("pid", pid);
            assertThat(p.get("command")).isEqualTo(List.of("/bin/sh", "-c", "sleep 600"));
        });
        assertThat(scripts.coordinator().processes()).anySatisfy(p -> assertThat(p.owner()).isEqualTo(handle.id()));
        scripts.coordinator().cancel(handle.id(), "done");
        handle.await(java.time.Duration.ofSeconds(30));
        // The kill is sent as the run ends; the registry forgets the process once it has exited.
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(scripts.coordinator().processes()).isEmpty());
    }
}
