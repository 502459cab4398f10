package io.steward.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads one output stream of a process to its end: every byte goes into a {@link CappedBuffer},
 * every line to a consumer. Lines longer than {@link #MAX_LINE} bytes are cut into pieces so that
 * a process writing megabytes without a newline cannot exhaust memory.
 */
final class OutputPump implements Runnable {
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final CappedBuffer capture;
    private final Consumer<String> lines;
    private byte[] line = new byte[256];
    private int lineLength;

    OutputPump(InputStream in, CappedBuffer capture, Consumer<String> lines) {
        this.in = in;
        this.capture = capture;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                capture.write(chunk, 0, n);
                split(chunk, n);
            }
        } catch (IOException closed) {
            // The stream is closed under us when the process tree is killed: what was read stays.
        } finally {
            if (lineLength > 0) {
                emit();
            }
        }
    }

    private void split(byte[] chunk, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (chunk[i] == '\n') {
                append(chunk, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(chunk, start, n - start);
    }

    private void append(byte[] b, int off, int len) {
        while (len > 0) {
            int room = MAX_LINE - lineLength;
            int take = Math.min(room, len);
            if (lineLength + take > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + take)));
            }
            System.arraycopy(b, off, line, lineLength, take);
            lineLength += take;
            off += take;
            len -= take;
            if (lineLength == MAX_LINE) {
                emit();
            }
        }
    }

    private void emit() {
        int end = lineLength;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        lineLength = 0;
        lines.accept(text);
    }
}
