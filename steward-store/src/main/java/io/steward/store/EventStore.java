package io.steward.store;

import io.steward.coordinator.RunEvent;
import io.steward.process.StdStream;

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
     * Starts from the run's last output mark at or before the offset, so reading the end of a huge log costs about
     * as much as reading its start.
     */
    public OutputChunk output(String runId, long offset, int maxBytes, StdStream stream) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, not " + offset);
        }
        if (maxBytes < 1 || maxBytes > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_OUTPUT_BYTES + " bytes, not "
                    + maxBytes);
        }
        String only = stream == null ? null : stream.key();
        return db.read(c -> {
            OutputReader reader = new OutputReader(offset, maxBytes, only);
            long afterSeq = startMark(c, runId, offset, only, reader);
            while (!reader.full()) {
                int rows = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT seq, data FROM run_events WHERE run_id = ? "
                        + "AND seq > ? AND kind = 'output' ORDER BY seq LIMIT " + OUTPUT_ROWS)) {
                    ps.setString(1, runId);
                    ps.setLong(2, afterSeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && !reader.full()) {
                            rows++;
                            afterSeq = rs.getLong(1);
                            Map<String, Object> data = Json.readMap(rs.getString(2));
                            if (data.get("line") instanceof String line) {
                                reader.line(OutputPosition.stream(data.get("stream")), line);
                            }
                        }
                    }
                }
                if (rows < OUTPUT_ROWS) {
                    break;
                }
            }
            boolean more = reader.full() || !ended(c, runId);
            return new OutputChunk(reader.text(), offset, reader.position(), more);
        });
    }

    /**
     * Positions {@code reader} at the last mark whose start in the chosen stream is at or before {@code offset} and
     * returns the sequence number to read on after (the mark's event is read again, as the first line).
     */
    private static long startMark(Connection c, String runId, long offset, String stream, OutputReader reader)
            throws SQLException {
        String column = stream == null ? "all_start" : stream + "_start";
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, line_no, all_start, stdout_start, stderr_start "
                + "FROM run_output_marks WHERE run_id = ? AND " + column + " <= ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, runId);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    reader.startAt(new OutputPosition(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                    return rs.getLong(1) - 1;
                }
                return 0;
            }
        }
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
}
