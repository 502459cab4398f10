package io.steward.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first {@code cap} bytes written to it and remembers whether more came. */
final class CappedBuffer {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;

    CappedBuffer(int cap) {
        this.cap = cap;
    }

    synchronized void write(byte[] b, int off, int len) {
        int room = cap - bytes.size();
        if (len > room) {
            truncated = true;
            len = Math.max(room, 0);
        }
        bytes.write(b, off, len);
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
