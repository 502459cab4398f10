package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.Spammer;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every line a process writes reaches the listener, in order, however much there is; the text returned
 * to the caller is capped so that a chatty process cannot exhaust the primary's memory.
 */
@Timeout(60)
@ForEachSpawner
class StreamsEveryOutputLineTest {
    private static final int WIDTH = 99;
    /** Lines of 100 bytes (with the newline) making a little over 5 MiB. */
    private static final int FIVE_MIB_OF_LINES = (5 << 20) / (WIDTH + 1) + 1;

    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();

    StreamsEveryOutputLineTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    private static List<String> expectedLines(int count) {
        return IntStream.range(0, count).mapToObj(i -> Spammer.line(i, WIDTH)).toList();
    }

    private static String text(List<String> lines) {
        return lines.stream().map(l -> l + "\n").collect(Collectors.joining());
    }

    @Test
    void linesOfBothStreamsArriveInOrder() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell(
                "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; printf 'no newline'"), "run-1", listener).waitFor();

        assertThat(listener.lines(StdStream.STDOUT)).containsExactly("out1", "out2", "out3", "out4", "out5", "no newline");
        assertThat(listener.lines(StdStream.STDERR)).containsExactly("err1", "err2", "err3", "err4", "err5");
        assertThat(r.stdout()).isEqualTo("out1\nout2\nout3\nout4\nout5\nno newline");
        assertThat(listener.linesAfterExit).isZero();
    }

    @Test
    void crLfLinesArriveWithoutTheirTerminator() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell("printf 'a\\r\\nb\\r\\n\\r\\nc'"), "run-1", listener).waitFor();

        assertThat(listener.lines(StdStream.STDOUT)).containsExactly("a", "b", "", "c");
        assertThat(r.stdout()).isEqualTo("a\r\nb\r\n\r\nc");
    }

    @Test
    void fiveMebibytesArriveAsLinesWhileTheResultIsCappedAtOneMebibyte() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.argv(Fixtures.java(Spammer.class, "lines", "out", FIVE_MIB_OF_LINES, WIDTH)),
                "run-1", listener).waitFor();

        List<String> expected = expectedLines(FIVE_MIB_OF_LINES);
        assertThat(r.exitCode()).isZero();
        // Compared as a whole rather than element by element: a 52,000-line diff would drown the report.
        assertThat(listener.lines(StdStream.STDOUT).equals(expected))
                .as("all %d lines arrive in order (got %d)", expected.size(), listener.lines(StdStream.STDOUT).size())
                .isTrue();
        assertThat(r.stdout()).hasSize(ProcessSpec.DEFAULT_OUTPUT_CAP);
        assertThat(text(expected)).startsWith(r.stdout());
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderrTruncated()).isFalse();
        assertThat(r.toMap()).containsEntry("truncated", true);
    }

    @Test
    void floodingBothStreamsAtOnceNeitherDeadlocksNorLosesALine() throws InterruptedException {
        int cap = 64 * 1024;
        ExecResult r = processes.launch(ProcessSpec.argv(Fixtures.java(Spammer.class, "lines", "both", FIVE_MIB_OF_LINES, WIDTH))
                .withOutputCap(cap), "run-1", listener).waitFor();

        List<String> expected = expectedLines(FIVE_MIB_OF_LINES);
        assertThat(listener.lines(StdStream.STDOUT).equals(expected)).as("every stdout line, in order").isTrue();
        assertThat(listener.lines(StdStream.STDERR).equals(expected)).as("every stderr line, in order").isTrue();
        assertThat(r.stdout()).hasSize(cap).isEqualTo(text(expected).substring(0, cap));
        assertThat(r.stderr()).hasSize(cap).isEqualTo(r.stdout());
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderrTruncated()).isTrue();
    }

    @Test
    void smallCapKeepsTheFirstBytesAndFlagsTruncation() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell("printf 'abcdefghij\\nklm\\n'; printf 'ok' >&2").withOutputCap(4),
                "run-1", listener).waitFor();

        assertThat(r.stdout()).isEqualTo("abcd");
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderr()).isEqualTo("ok");
        assertThat(r.stderrTruncated()).isFalse();
        assertThat(listener.lines(StdStream.STDOUT)).containsExactly("abcdefghij", "klm");
    }

    @Test
    void outputExactlyAtTheCapIsNotTruncated() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell("printf 'abcd'").withOutputCap(4), "run-1", listener).waitFor();

        assertThat(r.stdout()).isEqualTo("abcd");
        assertThat(r.stdoutTruncated()).isFalse();
    }

    @Test
    void zeroCapKeepsNothingButStillStreams() throws InterruptedException {
        ExecResult r = processes.launch(ProcessSpec.shell("echo hi").withOutputCap(0), "run-1", listener).waitFor();

        assertThat(r.stdout()).isEmpty();
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(listener.lines(StdStream.STDOUT)).containsExactly("hi");
    }
}
