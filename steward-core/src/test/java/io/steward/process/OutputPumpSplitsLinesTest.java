package io.steward.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * However a process's output is cut into reads, {@link OutputPump} hands on the lines of the whole text:
 * split at {@code '\n'}, a {@code '\r'} before it dropped, each line cut into pieces of at most
 * {@code maxLine} bytes, and every byte captured.
 */
class OutputPumpSplitsLinesTest {

    /** 2,000 random cases per seed; a failure names its seed, so it can be replayed. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20261125})
    void readsEndingAnywhereGiveTheLinesOfTheWholeText(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] output = output(random);
            List<Integer> readSizes = new ArrayList<>();
            for (int r = random.nextInt(13); r > 0; r--) {
                readSizes.add(1 + random.nextInt(24));
            }
            int maxLine = 1 + random.nextInt(6);
            checkOne(output, readSizes, maxLine);
        }
    }

    private static void checkOne(byte[] output, List<Integer> readSizes, int maxLine) {
        List<String> lines = new ArrayList<>();
        CappedBuffer capture = new CappedBuffer(Integer.MAX_VALUE);

        new OutputPump(capture, lines::add, maxLine).readFrom(new ChoppedStream(output, readSizes));

        assertThat(lines).as("reads %s, maxLine %d", readSizes, maxLine).isEqualTo(linesOf(output, maxLine));
        assertThat(capture.text()).isEqualTo(new String(output, UTF_8));
        assertThat(capture.truncated()).isFalse();
    }

    @Test
    void lineOfExactlyMaxLineBytesIsOnePiece() {
        assertThat(pump("abcd\nefgh\r\nij", 4)).containsExactly("abcd", "efgh", "ij");
    }

    @Test
    void carriageReturnThatIsNotATerminatorIsKept() {
        assertThat(pump("abc\rd\n", 4)).containsExactly("abc\r", "d");
        assertThat(pump("abcd\rx\n", 4)).containsExactly("abcd", "\rx");
        assertThat(pump("a\rb\n", 4)).containsExactly("a\rb");
    }

    @Test
    void emptyLinesAndAFinalLineWithoutNewline() {
        assertThat(pump("\n\r\n\nlast", 4)).containsExactly("", "", "", "last");
        assertThat(pump("", 4)).isEmpty();
        assertThat(pump("only\n", 4)).containsExactly("only");
    }

    private static List<String> pump(String text, int maxLine) {
        List<String> lines = new ArrayList<>();
        byte[] bytes = text.getBytes(UTF_8);
        new OutputPump(new CappedBuffer(0), lines::add, maxLine).readFrom(new ChoppedStream(bytes, List.of(1)));
        assertThat(lines).as("same lines however the reads fall").isEqualTo(linesOf(bytes, maxLine));
        return lines;
    }

    /** Mostly line ends and letters, sometimes any byte at all (halves of UTF-8 sequences included). */
    private static byte[] output(Random random) {
        byte[] bytes = new byte[random.nextInt(121)];
        for (int i = 0; i < bytes.length; i++) {
            int pick = random.nextInt(11);
            bytes[i] = pick < 4 ? (byte) (pick % 2 == 0 ? '\n' : '\r')
                    : pick < 10 ? (byte) ('a' + random.nextInt(3))
                    : (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** The reference: split the whole text at once. */
    static List<String> linesOf(byte[] text, int maxLine) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            boolean end = i == text.length;
            if (!end && text[i] != '\n') {
                continue;
            }
            if (end && i == start) {
                break; // nothing after the last newline
            }
            int stop = i > start && text[i - 1] == '\r' ? i - 1 : i;
            if (stop == start) {
                lines.add("");
            }
            for (int p = start; p < stop; p += maxLine) {
                lines.add(new String(text, p, Math.min(maxLine, stop - p), UTF_8));
            }
            start = i + 1;
        }
        return lines;
    }

    /** Hands out its bytes in reads of the given sizes, in turn, as a pipe might. */
    private static final class ChoppedStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private final List<Integer> readSizes;
        private int reads;

        ChoppedStream(byte[] content, List<Integer> readSizes) {
            this.bytes = new ByteArrayInputStream(content);
            this.readSizes = readSizes.isEmpty() ? List.of(Integer.MAX_VALUE) : readSizes;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int size = readSizes.get(reads++ % readSizes.size());
            return bytes.read(b, off, Math.min(len, size));
        }
    }
}
