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
class SplitsVeryLongLinesTest {
    private final LocalProcesses processes = new LocalProcesses();
    private final RecordingListener listener = new RecordingListener();

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

    /** Lines as "length:first..last" so that a failure report stays readable. */
    private static List<String> describe(List<String> lines) {
        return lines.stream().map(l -> l.length() + ":" + (l.length() <= 8 ? l : l.substring(0, 4) + ".." + l.substring(l.length() - 4))
                .replace("\r", "\\r")).toList();
    }
}
