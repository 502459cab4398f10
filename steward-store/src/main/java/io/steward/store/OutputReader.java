package io.steward.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects output text from a byte offset while walking a run's output lines in order: keeps the running position
 * in every stream, skips what lies before the offset, and stops at the byte limit, cutting a line only when not one
 * whole line fits (and then only at a character boundary).
 */
final class OutputReader {
    private final int maxBytes;
    /** {@code stdout}, {@code stderr}, or null for all output. */
    private final String stream;
    private final ByteArrayOutputStream text;
    private OutputPosition at = OutputPosition.START;
    private long position;
    private boolean full;

    OutputReader(long offset, int maxBytes, String stream) {
        this.maxBytes = maxBytes;
        this.stream = stream;
        this.text = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        this.position = offset;
    }

    /** Continue from a mark rather than from the first line. */
    void startAt(OutputPosition mark) {
        at = mark;
    }

    void line(String lineStream, String line) {
        long start = at.in(stream);
        long bytes = OutputPosition.bytes(line);
        at = at.plus(lineStream, bytes);
        if (full || (stream != null && !stream.equals(lineStream)) || start + bytes <= position) {
            return;
        }
        byte[] utf8 = (line + "\n").getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.max(0, position - start);
        int take = utf8.length - from;
        int room = maxBytes - text.size();
        if (take > room) {
            full = true;
            if (text.size() > 0) {
                return;
            }
            take = characterBoundary(utf8, from, room);
        }
        text.write(utf8, from, take);
        position += take;
    }

    boolean full() {
        return full;
    }

    /** Where the next read continues. */
    long position() {
        return position;
    }

    String text() {
        return text.toString(StandardCharsets.UTF_8);
    }

    /** The most bytes from {@code from}, at most {@code room}, that do not split a UTF-8 character (at least 1). */
    private static int characterBoundary(byte[] bytes, int from, int room) {
        int take = Math.min(room, bytes.length - from);
        while (take > 0 && from + take < bytes.length && (bytes[from + take] & 0xC0) == 0x80) {
            take--;
        }
        return take == 0 ? Math.min(1, bytes.length - from) : take;
    }
}
