package io.steward.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run's part of the outbox: its append-only JSON-lines file of events and where the link stands in it.
 * Offsets: {@code acked <= sent <= written}; bytes before {@code acked} are dead and are reclaimed by truncating
 * the file whenever everything written has been acknowledged (on a live link that is most of the time).
 * Not thread-safe: {@link AgentOutbox} guards every call with its lock.
 *
 * <p>The file is a {@link RandomAccessFile}, not a {@code FileChannel}, on purpose: script threads append here, and a
 * cancel interrupts them while they still report their end. An interrupt closes a {@code FileChannel} for good, so
 * every later event of the run would be lost and its end would never reach the primary; plain file I/O ignores it.
 */
final class OutboxRun {
    final String id;
    private final Path file;
    private final RandomAccessFile data;
    private final SeqIndex index = new SeqIndex();
    private long written;
    private long sent;
    private long acked;
    long ackedSeq;
    /** The newest seq seen, written or dropped. */
    long lastSeq;
    Gap gap;
    Map<String, Object> created;
    Map<String, Object> ended;
    long endedLastSeq;
    boolean createdSent;
    boolean primaryKnowsRun;
    boolean endedSent;

    OutboxRun(String id, Path file) throws IOException {
        this.id = id;
        this.file = file;
        this.data = new RandomAccessFile(file.toFile(), "rw");
        data.setLength(0);
    }

    /** Appends one line; the page cache takes it, so this costs microseconds, never a network wait. */
    void append(long seq, byte[] line) throws IOException {
        data.seek(written);
        data.write(line);
        written += line.length;
        index.add(seq, written);
    }

    boolean hasUnsent() {
        return sent < written;
    }

    long unackedBytes() {
        return written - acked;
    }

    /** The next whole events after what was sent, at most about {@code maxBytes}, as JSON array elements. */
    String nextChunk(int maxBytes) throws IOException {
        long end = index.chunkEnd(sent, maxBytes);
        byte[] buffer = new byte[(int) (end - sent)];
        data.seek(sent);
        try {
            data.readFully(buffer);
        } catch (java.io.EOFException e) {
            throw new IOException("outbox file " + file + " is shorter than expected", e);
        }
        sent = end;
        String lines = new String(buffer, StandardCharsets.UTF_8);
        // one JSON object per line, ending in '\n': the newlines become the array's commas
        return lines.substring(0, lines.length() - 1).replace('\n', ',');
    }

    /** Forgets events up to {@code seq}; returns the bytes freed. */
    long ack(long seq) throws IOException {
        primaryKnowsRun = true;
        ackedSeq = Math.max(ackedSeq, seq);
        long end = index.removeUpTo(seq);
        long freed = 0;
        if (end > acked) {
            freed = end - acked;
            acked = end;
        }
        if (acked == written && sent == written && written > 0) {
            data.setLength(0);
            written = 0;
            sent = 0;
            acked = 0;
            index.clear();
        }
        return freed;
    }

    /** Sends again every event after {@code seq} that is still held. */
    void rewindTo(long seq) {
        long end = index.endOf(seq);
        sent = Math.max(acked, Math.min(written, end < 0 ? acked : end));
    }

    /** A new link: everything not acknowledged goes again, in order. */
    void rewind() {
        sent = acked;
        createdSent = primaryKnowsRun;
        endedSent = false;
    }

    /** The run ended, its {@code ended} went out, and its last event is acknowledged: nothing left to keep. */
    boolean finished() {
        return ended != null && endedSent && gap == null && ackedSeq >= endedLastSeq && !hasUnsent();
    }

    void delete() throws IOException {
        data.close();
        Files.deleteIfExists(file);
    }

    void close() throws IOException {
        data.close();
    }
}
