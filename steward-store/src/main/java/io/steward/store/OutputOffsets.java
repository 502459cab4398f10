package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each run's process output ends so far, in bytes of "line\n" text: in all output and per stream. The
 * event writer's thread alone uses it. A run created in this process starts at 0; one it has not seen created
 * (written before a restart, or replayed later) is read back from the store once.
 */
final class OutputOffsets {
    /** {all, stdout, stderr} */
    private final Map<String, long[]> ends = new HashMap<>();
    private final Database db;

    OutputOffsets(Database db) {
        this.db = db;
    }

    /** A run created in this process: nothing of its output exists yet. */
    void created(String runId) {
        ends.putIfAbsent(runId, new long[3]);
    }

    /** The committed ends of a run's output; callers copy before changing them. */
    long[] ends(String runId) {
        return ends.computeIfAbsent(runId, this::load);
    }

    void committed(String runId, long[] newEnds) {
        ends.put(runId, newEnds);
    }

    void forget(String runId) {
        ends.remove(runId);
    }

    static int index(String stream) {
        return "stderr".equals(stream) ? 2 : 1;
    }

    private long[] load(String runId) {
        return db.read(c -> {
            long[] loaded = new long[3];
            try (PreparedStatement ps = c.prepareStatement("SELECT stream, MAX(end_all), MAX(end_stream) "
                    + "FROM run_output WHERE run_id = ? GROUP BY stream")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        loaded[0] = Math.max(loaded[0], rs.getLong(2));
                        loaded[index(rs.getString(1))] = rs.getLong(3);
                    }
                }
            }
            return loaded;
        });
    }
}
