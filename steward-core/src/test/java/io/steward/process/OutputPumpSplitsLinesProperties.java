package io.steward.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * However a process's output is cut into reads, {@link OutputPump} hands on the lines of the whole text:
 * split at {@code '\n'}, a {@code '\r'} before it dropped, each line cut into pieces of at most
 * {@code maxLine} bytes, and every byte captured.
 */
class OutputPumpSplitsLinesProperties {

    @Property(tries = 2000)
    void readsEndingAnywhereGiveTheLinesOfTheWholeText(@ForAll("outputs") byte[] output,
                                                       @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 24) Integer> readSizes,
                                                       @ForAll @IntRange(min = 1, max = 6) int maxLine) {
        List<String> lines = new ArrayList<>();
        CappedBuffer capture = new CappedBuffer(Integer.MAX_VALUE);

        new OutputPump(new ChoppedStream(output, readSizes), capture, lines::add, maxLine).run();

        assertThat(lines).isEqualTo(linesOf(output, maxLine));
        assertThat(capture.text()).isEqualTo(new String(output, UTF_8));
        assertThat(capture.truncated()).isFalse();
    }

    @Example
    void lineOfExactlyMaxLineBytesIsOnePiece() {
        assertThat(pump("abcd\nefgh\r\nij", 4)).containsExactly("abcd", "efgh", "ij");
    }

    @Example
    void carriageReturnThatIsNotATerminatorIsKept() {
        assertThat(pump("abc\rd\n", 4)).containsExactly("abc\r", "d");
        assertThat(pump("abcd\rx\n", 4)).containsExactly("abcd", "\rx");
        assertThat(pump("a\rb\n", 4)).containsExactly("a\rb");
    }

    @Example
    void emptyLinesAndAFinalLineWithoutNewline() {
        assertThat(pump("\n\r\n\nlast", 4)).containsExactly("", "", "", "last");
        assertThat(pump("", 4)).isEmpty();
        assertThat(pump("only\n", 4)).containsExactly("only");
    }

    private static List<String> pump(String text, int maxLine) {
        List<String> lines = new ArrayList<>();
        byte[] bytes = text.getBytes(UTF_8);
        new OutputPump(new ChoppedStream(bytes, List.of(1)), new CappedBuffer(0), lines::add, maxLine).run();
        assertThat(lines).as("same lines however the reads fall").isEqualTo(linesOf(bytes, maxLine));
        return lines;
    }

    @Provide
    Arbitrary<byte[]> outputs() {
        Arbitrary<Byte> terminators = Arbitraries.of((byte) '\n', (byte) '\r');
        Arbitrary<Byte> letters = Arbitraries.of((byte) 'a', (byte) 'b', (byte) 'c');
        // Any byte at all, including halves of UTF-8 sequences: both sides decode the same pieces.
        Arbitrary<Byte> anything = Arbitraries.bytes();
        return Arbitraries.frequencyOf(Tuple.of(4, terminators), Tuple.of(6, letters), Tuple.of(1, anything))
                .array(byte[].class).ofMaxSize(120);
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
