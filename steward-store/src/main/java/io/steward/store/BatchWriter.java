package io.steward.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Writes one {@link EventBatch} in one transaction with JDBC batches: one round of each statement, however many
 * events the batch holds. Knows SQL and nothing of queues or threads.
 */
final class BatchWriter {
    private static final String INSERT_EVENT =
            "INSERT INTO run_events (run_id, seq, kind, event_time, data) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_MARK = "INSERT INTO run_output_marks (run_id, seq, line_no, all_start, "
            + "stdout_start, stderr_start) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String LAST_SEQ = "UPDATE runs SET last_seq = ? WHERE id = ? AND last_seq < ?";
    private static final String RUNNING =
            "UPDATE runs SET state = 'RUNNING', started_at = ? WHERE id = ? AND state = 'QUEUED'";

    private final Database db;
    /** Written into every run this writer inserts: the primary that started it. */
    private final String primaryId;
    /** Whether another primary listens for commit notices now; a lone primary sends none and pays nothing. */
    private final BooleanSupplier announce;

    BatchWriter(Database db, String primaryId, BooleanSupplier announce) {
        this.db = db;
        this.primaryId = primaryId;
        this.announce = announce;
    }

    void write(EventBatch batch) throws SQLException {
        writeAll(List.of(batch));
    }

    /** Several batches, in order, in one transaction: one commit for all of them. */
    void writeAll(List<EventBatch> batches) throws SQLException {
        db.inTransactionOrThrow(c -> {
            for (EventBatch batch : batches) {
                writeIn(c, batch);
            }
            return null;
        });
    }

    private void writeIn(Connection c, EventBatch batch) throws SQLException {
        // Rows before events: a reader that sees an event can also find its run.
        insertRuns(c, batch.inserts.values(), primaryId);
        insertEvents(c, batch.events);
        insertMarks(c, batch.marks);
        updateLastSeqs(c, batch.lastSeqs);
        updateRunning(c, batch.running);
        endRuns(c, batch.ends.values(), primaryId);
        insertAudit(c, batch.audit);
        if (batch.logged > 0) {
            markApplied(c, batch.logged);
        }
        if (db.postgres() && announce.getAsBoolean()) {
            // Last, in this transaction: PostgreSQL delivers it at commit, so no follower hears of rows it cannot read.
            CommitNotices.send(c, primaryId, batch);
        }
    }

    private static void insertRuns(Connection c, Iterable<RunRow> rows, String primaryId) throws SQLException {
        if (!rows.iterator().hasNext()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RunRow.INSERT)) {
            for (RunRow row : rows) {
                row.bindInsert(ps);
                ps.setString(RunRow.INSERT_PRIMARY, primaryId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<EventBatch.EventRow> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (EventBatch.EventRow e : events) {
                ps.setString(1, e.runId());
                ps.setLong(2, e.seq());
                ps.setString(3, e.kind());
                ps.setLong(4, e.time());
                ps.setString(5, e.data());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertMarks(Connection c, List<EventBatch.MarkRow> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_MARK)) {
            for (EventBatch.MarkRow m : marks) {
                ps.setString(1, m.runId());
                ps.setLong(2, m.seq());
                ps.setLong(3, m.at().lines());
                ps.setLong(4, m.at().all());
                ps.setLong(5, m.at().stdout());
                ps.setLong(6, m.at().stderr());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void updateLastSeqs(Connection c, Map<String, Long> lastSeqs) throws SQLException {
        if (lastSeqs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(LAST_SEQ)) {
            for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void updateRunning(Connection c, Map<String, Instant> running) throws SQLException {
        if (running.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RUNNING)) {
            for (Map.Entry<String, Instant> e : running.entrySet()) {
                Database.setInstant(ps, 1, e.getValue());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Final records of runs created in earlier batches. A run whose row is missing (its creation was never seen,
     * as for a run reported from elsewhere) is inserted whole instead.
     */
    private static void endRuns(Connection c, Iterable<RunRow> rows, String primaryId) throws SQLException {
        if (!rows.iterator().hasNext()) {
            return;
        }
        List<RunRow> list = new ArrayList<>();
        rows.forEach(list::add);
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(RunRow.END)) {
            for (RunRow row : list) {
                row.bindEnd(ps);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<RunRow> missing = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0 && !exists(c, list.get(i).id())) {
                missing.add(list.get(i));
            }
        }
        insertRuns(c, missing, primaryId);
    }

    private static boolean exists(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records that the logged batch {@code logged} is in the database, when it was committed piece by piece. */
    void applied(long logged) throws SQLException {
        db.inTransactionOrThrow(c -> {
            markApplied(c, logged);
            return null;
        });
    }

    /** Records, in the batch's own transaction, that the logged batch {@code logged} is in the database. */
    static void markApplied(Connection c, long logged) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE write_ahead_log SET applied = ? WHERE id = 1")) {
            ps.setLong(1, logged);
            ps.executeUpdate();
        }
    }

    private static void insertAudit(Connection c, List<AuditRow> audit) throws SQLException {
        if (audit.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(AuditRow.INSERT)) {
            for (AuditRow row : audit) {
                row.bind(ps);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
