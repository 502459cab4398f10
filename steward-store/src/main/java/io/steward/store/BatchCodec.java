package io.steward.store;

import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * What an {@link EventBatch} writes to the database, as the bytes of a {@link WriteAheadLog} record and back: the
 * rows exactly as {@link BatchWriter} binds them (JSON columns already serialised), so that a batch replayed after
 * a crash is the batch that would have been committed. Barriers, admissions and the rest of the writer's bookkeeping
 * are not rows and are not kept.
 */
final class BatchCodec {
    /** Changes whenever the layout does; a log of another layout is refused, not misread. */
    private static final int LAYOUT = 1;

    private BatchCodec() {
    }

    static byte[] encode(EventBatch batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(LAYOUT);
            out.writeInt(batch.inserts.size());
            for (RunRow row : batch.inserts.values()) {
                writeRun(out, row);
            }
            out.writeInt(batch.events.size());
            for (EventBatch.EventRow e : batch.events) {
                writeString(out, e.runId());
                out.writeLong(e.seq());
                writeString(out, e.kind());
                out.writeLong(e.time());
                writeString(out, e.data());
            }
            out.writeInt(batch.marks.size());
            for (EventBatch.MarkRow m : batch.marks) {
                writeString(out, m.runId());
                out.writeLong(m.seq());
                out.writeLong(m.at().lines());
                out.writeLong(m.at().all());
                out.writeLong(m.at().stdout());
                out.writeLong(m.at().stderr());
            }
            out.writeInt(batch.lastSeqs.size());
            for (Map.Entry<String, Long> e : batch.lastSeqs.entrySet()) {
                writeString(out, e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(batch.running.size());
            for (Map.Entry<String, Instant> e : batch.running.entrySet()) {
                writeString(out, e.getKey());
                writeInstant(out, e.getValue());
            }
            out.writeInt(batch.ends.size());
            for (RunRow row : batch.ends.values()) {
                writeRun(out, row);
            }
            out.writeInt(batch.audit.size());
            for (AuditRow a : batch.audit) {
                writeInstant(out, a.at());
                writeString(out, a.actor());
                writeString(out, a.action());
                writeString(out, a.target());
                writeString(out, a.details());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** The rows of a logged batch, ready for {@link BatchWriter#write}. */
    static EventBatch decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int layout = in.readInt();
        if (layout != LAYOUT) {
            throw new IOException("a write-ahead log record of layout " + layout + ", this primary reads " + LAYOUT);
        }
        EventBatch batch = new EventBatch();
        for (int n = in.readInt(); n > 0; n--) {
            RunRow row = readRun(in);
            batch.inserts.put(row.id(), row);
        }
        for (int n = in.readInt(); n > 0; n--) {
            batch.events.add(new EventBatch.EventRow(readString(in), in.readLong(), readString(in), in.readLong(),
                    readString(in)));
        }
        for (int n = in.readInt(); n > 0; n--) {
            batch.marks.add(new EventBatch.MarkRow(readString(in), in.readLong(),
                    new OutputPosition(in.readLong(), in.readLong(), in.readLong(), in.readLong())));
        }
        for (int n = in.readInt(); n > 0; n--) {
            batch.lastSeqs.put(readString(in), in.readLong());
        }
        for (int n = in.readInt(); n > 0; n--) {
            batch.running.put(readString(in), readInstant(in));
        }
        for (int n = in.readInt(); n > 0; n--) {
            RunRow row = readRun(in);
            batch.ends.put(row.id(), row);
        }
        for (int n = in.readInt(); n > 0; n--) {
            batch.audit.add(new AuditRow(readInstant(in), readString(in), readString(in), readString(in),
                    readString(in)));
        }
        return batch;
    }

    private static void writeRun(DataOutputStream out, RunRow r) throws IOException {
        writeString(out, r.id());
        writeString(out, r.script());
        out.writeInt(r.version());
        out.writeUTF(r.state().name());
        writeString(out, r.args());
        writeString(out, r.shared());
        writeString(out, r.statusValues());
        writeString(out, r.progress());
        writeString(out, r.result());
        out.writeBoolean(r.error() != null);
        if (r.error() != null) {
            writeString(out, r.error().script());
            out.writeInt(r.error().line());
            out.writeInt(r.error().column());
            writeString(out, r.error().message());
        }
        writeString(out, r.node());
        writeString(out, r.parent());
        writeString(out, r.invoker());
        writeInstant(out, r.createdAt());
        writeInstant(out, r.startedAt());
        writeInstant(out, r.endedAt());
        out.writeLong(r.lastSeq());
    }

    private static RunRow readRun(DataInputStream in) throws IOException {
        String id = readString(in);
        String script = readString(in);
        int version = in.readInt();
        RunState state = RunState.valueOf(in.readUTF());
        String args = readString(in);
        String shared = readString(in);
        String statusValues = readString(in);
        String progress = readString(in);
        String result = readString(in);
        ScriptError error = in.readBoolean()
                ? new ScriptError(readString(in), in.readInt(), in.readInt(), readString(in)) : null;
        return new RunRow(id, script, version, state, args, shared, statusValues, progress, result, error,
                readString(in), readString(in), readString(in), readInstant(in), readInstant(in), readInstant(in),
                in.readLong());
    }

    /** Length-prefixed UTF-8; -1 for null. Not {@code writeUTF}: JSON columns may pass its 64 KB limit. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
