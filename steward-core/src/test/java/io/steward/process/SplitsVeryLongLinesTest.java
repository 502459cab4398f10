package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.Spammer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A process writing megabytes without a newline arrives in bounded pieces, none of it lost. */
@Timeout(30)
@ForEachSpawner
class SplitsVeryLongLinesTest {
    private final LocalProcesses processes;
    private final RecordingListener listener = new RecordingListener();

    SplitsVeryLongLinesTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void closeRegistry() {
        processes.close();
    }

    @Test
    void lineWithoutNewlineArrivesInPiecesNoLongerThanMaxLine() throws InterruptedException {
        long length = 5L * OutputPump.MAX_LINE + 123;
        ExecResult r = processes.launch(ProcessSpec.argv(Fixtures.java(Spammer.class, "bytes", length)), "run-1", listener)
                .waitFor();

        assertThat(r.exitCode()).isZero();
        List<String> pieces = listener.lines(StdStream.STDOUT);
        assertThat(pieces).extracting(String::length).hasSize(6).allMatch(n -> n <= OutputPump.MAX_LINE);
        String joined = String.join("", pieces);
        assertThat(joined.length()).isEqualTo(length);
        for (int i = 0; i < length; i++) {
            if (joined.charAt(i) != Spammer.pattern(i)) {
                throw new AssertionError("byte " + i + " is '" + joined.charAt(i) + "', expected '" + (char) Spammer.pattern(i) + "'");
            }
        }
    }

    @Test
    void lineOfExactlyMaxLineBytesArrivesWhole() throws InterruptedException {
        processes.launch(ProcessSpec.shell("head -c " + OutputPump.MAX_LINE + " /dev/zero | tr '\\0' a; echo; echo next"),
                "run-1", listener).waitFor();

        assertThat(describe(listener.lines(StdStream.STDOUT)))
                .containsExactly(describe(List.of("a".repeat(OutputPump.MAX_LINE), "next")).toArray(String[]::new));
    }

    @Test
    void carriageReturnAtAPieceBoundaryIsKept() throws InterruptedException {
        int max = OutputPump.MAX_LINE;
        processes.launch(ProcessSpec.shell("head -c " + (max - 1) + " /dev/zero | tr '\\0' a; printf '\\rb\\n'"),
                "run-1", listener).waitFor();

        assertThat(describe(listener.lines(StdStream.STDOUT)))
                .containsExactly(describe(List.of("a".repeat(max - 1) + "\r", "b")).toArray(String[]::new));
    }

    /** Lines as "length:first..last" so that a failure report stays readable. */
    private static List<String> describe(List<String> lines) {
        return lines.stream().map(l -> l.length() + ":" + (l.length() <= 8 ? l : l.substring(0, 4) + ".." + l.substring(l.length() - 4))
                .replace("\r", "\\r")).toList();
    }
}
