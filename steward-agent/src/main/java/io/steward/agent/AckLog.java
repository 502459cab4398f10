package io.steward.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code <data>/outbox/acks.log}: the highest seq the primary has acknowledged per run, so that an agent started
 * again after a crash replays only what is still unacknowledged, and knows the seq of a run's last event even when
 * its events file was emptied because everything in it was acknowledged.
 *
 * <p>One append-only file of JSON lines {@code {"id", "seq"}} for the whole outbox, not a file per run: an ack comes
 * for about every frame sent, and appending one short line costs a write to the page cache, with no extra file
 * handle per run. The newest line of a run wins. The log is rewritten with only the runs still held when it grows past
 * {@link #COMPACT_AT} bytes and at every start. A crash in the middle of an append leaves a partial last line, which
 * reading skips; the ack it held comes again, or its events are sent again and the primary drops them.
 *
 * <p>The caller appends an ack <em>before</em> it frees the acknowledged events, so the log never knows less than the
 * events file has forgotten. Not thread-safe: {@link AgentOutbox} guards every call with its lock.
 */
final class AckLog {
    static final String NAME = "acks.log";
    static final long COMPACT_AT = 1 << 20;

    private final Path file;
    private RandomAccessFile data;

    /** Opens the log, rewritten to hold just {@code acked}. */
    AckLog(Path dir, Map<String, Long> acked) throws IOException {
        this.file = dir.resolve(NAME);
        rewrite(acked);
    }

    /** What a log left by an earlier process says: run id → highest acknowledged seq. */
    static Map<String, Long> read(Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        Map<String, Long> acked = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return acked;
        }
        // decoded leniently: a line cut short may end inside a character, which must not stop the agent starting
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            try {
                Map<String, Object> entry = Json.read(line);
                if (entry.get("id") instanceof String id && entry.get("seq") instanceof Number seq) {
                    acked.merge(id, seq.longValue(), Math::max);
                }
            } catch (IllegalArgumentException partial) {
                // the last line of a crashed process may be cut short: its ack is simply not known
            }
        }
        return acked;
    }

    /** Appends an ack; {@code true} when the log has grown enough to be rewritten. */
    boolean append(String id, long seq) throws IOException {
        data.seek(data.length());
        data.write((Json.write(Map.of("id", id, "seq", seq)) + "\n").getBytes(StandardCharsets.UTF_8));
        return data.length() > COMPACT_AT;
    }

    /** Replaces the log by one line per run in {@code acked}, atomically. */
    void rewrite(Map<String, Long> acked) throws IOException {
        StringBuilder text = new StringBuilder();
        acked.forEach((id, seq) -> text.append(Json.write(Map.of("id", id, "seq", seq))).append('\n'));
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        close();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        data = new RandomAccessFile(file.toFile(), "rw");
    }

    void close() throws IOException {
        if (data != null) {
            data.close();
            data = null;
        }
    }
}
