package io.steward.agent;

import io.steward.files.ConfinedDirectory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 *
 * <p>Beside the events file, the run's {@code created} and {@code ended} records are kept as
 * {@code <base>.created.json} and {@code <base>.ended.json}, so that an agent started again after a crash can
 * {@link #reopen} the run and report it (docs/agent-protocol.md, "Buffering on the agent"). Each is written to a
 * temporary file and moved into place, so a crash leaves a whole record or none. The created record marks the run:
 * {@link #delete} removes it first, so a crash while forgetting a run leaves files that a restart deletes as orphans
 * rather than a run it would report again.
 */
final class OutboxRun {
    static final String EVENTS = ".jsonl";
    static final String CREATED = ".created.json";
    static final String ENDED = ".ended.json";

    final String id;
    private final ConfinedDirectory dir;
    private final Path file;
    private final Path createdFile;
    private final Path endedFile;
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

    /**
     * A new run: its files are {@code dir/base.*}, and any events file of that name is emptied.
     *
     * @throws io.steward.files.PathRefusedException when one of its files would be outside {@code dir} (a symbolic
     *                                               link there pointing out)
     */
    static OutboxRun create(String id, ConfinedDirectory dir, String base) throws IOException {
        OutboxRun run = new OutboxRun(id, dir, base);
        try {
            run.data.setLength(0);
        } catch (IOException e) {
            run.data.close();
            throw e;
        }
        return run;
    }

    /** Its files are resolved in {@code dir} before any is opened, so a refused one leaves nothing open. */
    private OutboxRun(String id, ConfinedDirectory dir, String base) throws IOException {
        this.id = id;
        this.dir = dir;
        this.file = dir.resolve(base + EVENTS);
        this.createdFile = dir.resolve(base + CREATED);
        this.endedFile = dir.resolve(base + ENDED);
        this.data = new RandomAccessFile(file.toFile(), "rw");
    }

    /**
     * A run an earlier agent process left in {@code dir}, from its created record: its events are read back and
     * indexed, those up to {@code ackedSeq} count as acknowledged, and a last line cut short by the crash is cut off.
     * The caller sets {@link #ended} from the ended record, if there is one ({@link OutboxRecovery}).
     */
    static OutboxRun reopen(ConfinedDirectory dir, String base, Map<String, Object> created, long ackedSeq)
            throws IOException {
        if (!(created.get("id") instanceof String id)) {
            throw new IllegalArgumentException("the created record has no run id");
        }
        OutboxRun run = new OutboxRun(id, dir, base);
        run.created = created;
        // what is on disk or acknowledged, not the created record's lastSeq: events up to that may have been dropped
        run.lastSeq = ackedSeq;
        try {
            run.readBack(ackedSeq);
        } catch (IOException | RuntimeException e) {
            run.data.close();
            throw e;
        }
        // the primary acknowledged something of it, so it has its created record
        run.primaryKnowsRun = ackedSeq > 0;
        return run;
    }

    /**
     * Indexes the events in the file, streaming (it may hold up to the whole outbox bound); what follows the last
     * whole, readable line is cut off.
     */
    private void readBack(long acknowledged) throws IOException {
        long good = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            long offset = 0;
            for (int b; (b = in.read()) >= 0; ) {
                offset++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                long seq = seqOf(line.toString(StandardCharsets.UTF_8));
                if (seq < 0) {
                    break;
                }
                index.add(seq, offset);
                lastSeq = Math.max(lastSeq, seq);
                good = offset;
                line.reset();
            }
        }
        written = good;
        data.setLength(written);
        acked = Math.max(0, index.removeUpTo(acknowledged));
        sent = acked;
        ackedSeq = Math.max(ackedSeq, acknowledged);
    }

    /** The seq of one line of the events file, or -1 when it is not a whole event. */
    static long seqOf(String line) {
        // the events are written as {"seq":N,…}: read N without parsing the line, which a big outbox makes slow
        if (line.startsWith("{\"seq\":") && line.endsWith("}")) {
            int end = line.indexOf(',', 7);
            if (end > 7) {
                try {
                    return Long.parseLong(line, 7, end, 10);
                } catch (NumberFormatException e) {
                    // not the usual form: parse it
                }
            }
        }
        try {
            return Json.read(line).get("seq") instanceof Number n ? n.longValue() : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Keeps the run's created record on disk (a crash then still knows the run). */
    void saveCreated(Map<String, Object> record) throws IOException {
        save(createdFile, record);
    }

    /** Keeps the run's ended record on disk. */
    void saveEnded(Map<String, Object> record) throws IOException {
        save(endedFile, record);
    }

    private void save(Path target, Map<String, Object> record) throws IOException {
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.writeString(tmp, Json.write(record), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
        Files.deleteIfExists(createdFile);
        Files.deleteIfExists(endedFile);
        Files.deleteIfExists(file);
    }

    void close() throws IOException {
        data.close();
    }
}
