package io.steward.store;

import io.steward.coordinator.RunState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ends, from their stored final {@code state} event, the live runs whose row never got its end: for the LOST
 * marking, which would otherwise call them LOST although their outcome is known.
 *
 * <p>Why such runs exist: a run appends its final {@code state} event before the coordinator hands its final
 * snapshot to the sink ({@code runEnded}), and the event writer may commit in between. The event then lands in one
 * commit and the row's end in the next; a primary killed between the two leaves a row still RUNNING (or QUEUED)
 * whose last stored event says how it ended.
 *
 * <p>Only what that event holds is restored: the state, the result or error, the end time and the last sequence
 * number. The row's shared values, status and progress stay as its last commit left them (its creation, usually):
 * they come with the final snapshot, which is what was lost.
 */
final class StoredEnds {
    /** The row's end from its final event; guarded like every end, so a run that ended meanwhile keeps its end. */
    private static final String END = "UPDATE runs SET state = ?, result = ?, error_script = ?, error_line = ?, "
            + "error_column = ?, error_message = ?, ended_at = ?, last_seq = ? WHERE id = ? AND state IN "
            + "('QUEUED', 'RUNNING')";

    private record Found(String runId, long seq, long time, Map<String, Object> data) {
    }

    private StoredEnds() {
    }

    /**
     * Ends the live runs matching {@code condition} (SQL on the {@code runs} table, its {@code ?} bound to
     * {@code params}) whose last stored event is a {@code state} event with a final state other than LOST, with
     * that state. Runs in the caller's transaction, before it marks the rest LOST; returns how many it ended.
     */
    static int end(Connection c, String condition, List<String> params) throws SQLException {
        List<Found> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT runs.id, e.seq, e.event_time, e.data FROM runs "
                + "JOIN run_events e ON e.run_id = runs.id AND e.seq = (SELECT MAX(m.seq) FROM run_events m "
                + "WHERE m.run_id = runs.id) WHERE runs.state IN ('QUEUED', 'RUNNING') AND e.kind = 'state' AND "
                + condition)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Found(rs.getString(1), rs.getLong(2), rs.getLong(3), Json.readMap(rs.getString(4))));
                }
            }
        }
        int ended = 0;
        try (PreparedStatement ps = c.prepareStatement(END)) {
            for (Found f : found) {
                RunState state = finalState(f.data());
                if (state != null) {
                    bind(ps, f, state);
                    ended += ps.executeUpdate();
                }
            }
        }
        return ended;
    }

    /** The final state the event names; null for a live state, LOST (marked as usual) or one this build lacks. */
    private static RunState finalState(Map<String, Object> data) {
        if (data == null || !(data.get("state") instanceof String name)) {
            return null;
        }
        try {
            RunState state = RunState.valueOf(name);
            return state.isTerminal() && state != RunState.LOST ? state : null;
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static void bind(PreparedStatement ps, Found f, RunState state) throws SQLException {
        ps.setString(1, state.name());
        ps.setString(2, state == RunState.SUCCEEDED ? Json.writeNullable(f.data().get("result")) : null);
        // The event carries the error as ScriptError.toMap() wrote it; a column of 0 is its "none".
        Map<?, ?> error = f.data().get("error") instanceof Map<?, ?> m ? m : null;
        if (state == RunState.SUCCEEDED || error == null || error.get("message") == null) {
            ps.setNull(3, Types.VARCHAR);
            ps.setNull(4, Types.INTEGER);
            ps.setNull(5, Types.INTEGER);
            ps.setNull(6, Types.VARCHAR);
        } else {
            ps.setString(3, error.get("script") == null ? null : String.valueOf(error.get("script")));
            ps.setInt(4, error.get("line") instanceof Number n ? n.intValue() : 0);
            ps.setInt(5, error.get("column") instanceof Number n ? n.intValue() : 0);
            ps.setString(6, String.valueOf(error.get("message")));
        }
        Database.setInstant(ps, 7, Instant.ofEpochMilli(f.time()));
        ps.setLong(8, f.seq());
        ps.setString(9, f.runId());
    }
}
