package io.steward.store;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * A run's row, taken from a coordinator snapshot with its JSON columns serialised once: the event writer binds
 * the same row again if it has to retry a batch.
 */
record RunRow(String id, String script, int version, RunState state, String args, String shared,
              String statusValues, String progress, String result, ScriptError error, String node, String parent,
              String invoker, Instant createdAt, Instant startedAt, Instant endedAt, long lastSeq) {

    static final String COLUMNS = "id, script, version, state, args, shared, status_values, progress, result, "
            + "error_script, error_line, error_column, error_message, node, parent, invoker, created_at, started_at, "
            + "ended_at, last_seq";
    static final String INSERT = "INSERT INTO runs (" + COLUMNS + ", primary_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The parameter of {@link #INSERT} that names the primary inserting the row. */
    static final int INSERT_PRIMARY = 21;
    /**
     * The final record of a run. Guarded by the states it may end from: a run that has already ended keeps its
     * outcome; LOST may still learn its real one (an agent that comes back reports it).
     */
    static final String END = "UPDATE runs SET state = ?, shared = ?, status_values = ?, progress = ?, result = ?, "
            + "error_script = ?, error_line = ?, error_column = ?, error_message = ?, node = ?, started_at = ?, "
            + "ended_at = ?, last_seq = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING', 'LOST')";

    static RunRow of(RunSnapshot s) {
        return new RunRow(s.id(), s.script(), s.version(), s.state(), Json.write(s.args()),
                Json.writeNullable(s.shared()), Json.writeNullable(s.statusValues()), Json.writeNullable(s.progress()),
                Json.writeNullable(s.result()), s.error(), s.node(), s.parent(), s.invoker(), s.createdAt(),
                s.startedAt(), s.endedAt(), s.lastSeq());
    }

    /** The row of a run whose RUNNING event arrived in the same batch as its creation. */
    RunRow running(Instant at) {
        return new RunRow(id, script, version, RunState.RUNNING, args, shared, statusValues, progress, result, error,
                node, parent, invoker, createdAt, at, endedAt, lastSeq);
    }

    RunRow lastSeq(long seq) {
        return seq <= lastSeq ? this : new RunRow(id, script, version, state, args, shared, statusValues, progress,
                result, error, node, parent, invoker, createdAt, startedAt, endedAt, seq);
    }

    void bindInsert(PreparedStatement ps) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, script);
        ps.setInt(3, version);
        ps.setString(4, state.name());
        ps.setString(5, args);
        ps.setString(6, shared);
        ps.setString(7, statusValues);
        ps.setString(8, progress);
        ps.setString(9, result);
        bindError(ps, 10);
        ps.setString(14, node);
        ps.setString(15, parent);
        ps.setString(16, invoker);
        Database.setInstant(ps, 17, createdAt != null ? createdAt : Instant.now());
        Database.setInstant(ps, 18, startedAt);
        Database.setInstant(ps, 19, endedAt);
        ps.setLong(20, lastSeq);
    }

    void bindEnd(PreparedStatement ps) throws SQLException {
        ps.setString(1, state.name());
        ps.setString(2, shared);
        ps.setString(3, statusValues);
        ps.setString(4, progress);
        ps.setString(5, result);
        bindError(ps, 6);
        ps.setString(10, node);
        Database.setInstant(ps, 11, startedAt);
        Database.setInstant(ps, 12, endedAt);
        ps.setLong(13, lastSeq);
        ps.setString(14, id);
    }

    private void bindError(PreparedStatement ps, int at) throws SQLException {
        if (error == null) {
            ps.setNull(at, Types.VARCHAR);
            ps.setNull(at + 1, Types.INTEGER);
            ps.setNull(at + 2, Types.INTEGER);
            ps.setNull(at + 3, Types.VARCHAR);
        } else {
            ps.setString(at, error.script());
            ps.setInt(at + 1, error.line());
            ps.setInt(at + 2, error.column());
            ps.setString(at + 3, error.message());
        }
    }

    /** Reads a {@code SELECT COLUMNS FROM runs} row. */
    static RunRecord read(ResultSet rs) throws SQLException {
        String errorMessage = rs.getString("error_message");
        ScriptError error = errorMessage == null ? null : new ScriptError(rs.getString("error_script"),
                rs.getInt("error_line"), rs.getInt("error_column"), errorMessage);
        return new RunRecord(rs.getString("id"), rs.getString("script"), rs.getInt("version"),
                RunState.valueOf(rs.getString("state")), Json.readMap(rs.getString("args")),
                Json.readMap(rs.getString("shared")), Json.readMap(rs.getString("status_values")),
                Json.readMap(rs.getString("progress")), Json.read(rs.getString("result")), error,
                rs.getString("node"), rs.getString("parent"), rs.getString("invoker"),
                Database.getInstant(rs, "created_at"), Database.getInstant(rs, "started_at"),
                Database.getInstant(rs, "ended_at"), rs.getLong("last_seq"));
    }
}
