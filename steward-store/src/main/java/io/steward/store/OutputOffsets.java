package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The committed output position of each live run, for the event writer's thread alone. A run created in this
 * process starts at {@link OutputPosition#START}; one it has not seen created (written before a restart, or replayed
 * later) is read back once from its last mark and the output events after it.
 */
final class OutputOffsets {
    private final Map<String, OutputPosition> positions = new HashMap<>();
    private final Database db;

    OutputOffsets(Database db) {
        this.db = db;
    }

    /** A run created in this process: nothing of its output exists yet. */
    void created(String runId) {
        positions.putIfAbsent(runId, OutputPosition.START);
    }

    OutputPosition position(String runId) {
        return positions.computeIfAbsent(runId, this::load);
    }

    void committed(String runId, OutputPosition position) {
        positions.put(runId, position);
    }

    void forget(String runId) {
        positions.remove(runId);
    }

    private OutputPosition load(String runId) {
        return db.read(c -> {
            OutputPosition position = OutputPosition.START;
            long fromSeq = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, line_no, all_start, stdout_start, "
                    + "stderr_start FROM run_output_marks WHERE run_id = ? ORDER BY seq DESC LIMIT 1")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        fromSeq = rs.getLong(1);
                        position = new OutputPosition(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM run_events WHERE run_id = ? "
                    + "AND seq >= ? AND kind = 'output' ORDER BY seq")) {
                ps.setString(1, runId);
                ps.setLong(2, fromSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> data = Json.readMap(rs.getString(1));
                        if (data.get("line") instanceof String line) {
                            position = position.plus(OutputPosition.stream(data.get("stream")),
                                    OutputPosition.bytes(line));
                        }
                    }
                }
            }
            return position;
        });
    }
}
