package io.steward.store;

import io.steward.coordinator.RunEvent;
import io.steward.process.StdStream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads run timelines back: pages of events after a sequence number, and process output as text by byte offset.
 * Everything read here is committed, hence durable; the {@link EventWriter} says how far that goes for a live run.
 */
public final class EventStore {
    public static final int MAX_PAGE = 10_000;
    public static final int MAX_OUTPUT_BYTES = 16 << 20;
    /** Output rows fetched per query while filling a chunk. */
    private static final int OUTPUT_ROWS = 512;

    private final Database db;

    EventStore(Database db) {
        this.db = db;
    }

    /** Up to {@code limit} events of the run with {@code seq > afterSeq}, in order. */
    public List<RunEvent> page(String runId, long afterSeq, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", not " + limit);
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, event_time, data FROM run_events "
                    + "WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, runId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                List<RunEvent> events = new ArrayList<>(Math.min(limit, 256));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new RunEvent(runId, rs.getLong(1), rs.getString(2), rs.getLong(3),
                                Json.readMap(rs.getString(4))));
                    }
                }
                return events;
            }
        });
    }

    /** How many events of the run are stored. */
    public long count(String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM run_events WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** All of the run's output, both streams interleaved as they came. */
    public OutputChunk output(String runId, long offset, int maxBytes) {
        return output(runId, offset, maxBytes, null);
    }

    /**
     * The run's process output from byte {@code offset}, at most {@code maxBytes} of it: whole lines while they
     * fit, and a part of a line (cut at a character boundary) only when the first line alone is longer than
     * {@code maxBytes}. Offsets count in the chosen stream alone when {@code stream} is given, else in all output.
     * Seeks through the {@code run_output} index, so reading the end of a huge log costs no more than its start.
     */
    public OutputChunk output(String runId, long offset, int maxBytes, StdStream stream) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, not " + offset);
        }
        if (maxBytes < 1 || maxBytes > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_OUTPUT_BYTES + " bytes, not "
                    + maxBytes);
        }
        return db.read(c -> {
            ByteArrayOutputStream text = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
            long position = offset;
            boolean full = false;
            while (!full) {
                List<long[]> ends = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                readRows(c, runId, stream, position, ends, lines);
                for (int i = 0; i < lines.size() && !full; i++) {
                    byte[] bytes = (lines.get(i) + "\n").getBytes(StandardCharsets.UTF_8);
                    long end = ends.get(i)[0];
                    int from = (int) Math.max(0, position - (end - bytes.length));
                    int room = maxBytes - text.size();
                    int take = bytes.length - from;
                    if (take > room) {
                        full = true;
                        if (text.size() > 0) {
                            break;
                        }
                        take = characterBoundary(bytes, from, room);
                    }
                    text.write(bytes, from, take);
                    position += take;
                }
                if (lines.size() < OUTPUT_ROWS) {
                    break;
                }
            }
            boolean more = full || !ended(c, runId) || hasOutputAfter(c, runId, stream, position);
            return new OutputChunk(text.toString(StandardCharsets.UTF_8), offset, position, more);
        });
    }

    private static void readRows(Connection c, String runId, StdStream stream, long position, List<long[]> ends,
                                 List<String> lines) throws SQLException {
        String end = stream == null ? "o.end_all" : "o.end_stream";
        String sql = "SELECT " + end + ", e.data FROM run_output o JOIN run_events e ON e.run_id = o.run_id "
                + "AND e.seq = o.seq WHERE o.run_id = ? " + (stream == null ? "" : "AND o.stream = ? ")
                + "AND " + end + " > ? ORDER BY " + end + " LIMIT " + OUTPUT_ROWS;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, runId);
            if (stream != null) {
                ps.setString(i++, stream.key());
            }
            ps.setLong(i, position);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ends.add(new long[] {rs.getLong(1)});
                    Map<String, Object> data = Json.readMap(rs.getString(2));
                    lines.add(data.get("line") instanceof String line ? line : "");
                }
            }
        }
    }

    /** The most bytes from {@code from}, at most {@code room}, that do not split a UTF-8 character (at least 1). */
    private static int characterBoundary(byte[] bytes, int from, int room) {
        int take = Math.min(room, bytes.length - from);
        while (take > 0 && from + take < bytes.length && (bytes[from + take] & 0xC0) == 0x80) {
            take--;
        }
        return take == 0 ? Math.min(1, bytes.length - from) : take;
    }

    private static boolean ended(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                // An unknown run writes nothing more.
                return !rs.next() || !(rs.getString(1).equals("QUEUED") || rs.getString(1).equals("RUNNING"));
            }
        }
    }

    private static boolean hasOutputAfter(Connection c, String runId, StdStream stream, long position)
            throws SQLException {
        String end = stream == null ? "end_all" : "end_stream";
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM run_output WHERE run_id = ? "
                + (stream == null ? "" : "AND stream = ? ") + "AND " + end + " > ? LIMIT 1")) {
            int i = 1;
            ps.setString(i++, runId);
            if (stream != null) {
                ps.setString(i++, stream.key());
            }
            ps.setLong(i, position);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
