package io.steward.store;

import io.steward.coordinator.RunState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of every run. Rows are written by the {@link EventWriter} (from the coordinator's
 * {@code runCreated}/{@code runEnded}, in the same transactions as the events); this class reads them, marks
 * runs LOST after a restart (or ends them from their stored final event) and prunes old history.
 *
 * <p>Every change of state here is guarded by the state it expects ({@code UPDATE … WHERE state IN (…)}), so that
 * a run which ends while it is being marked LOST ends up in exactly one legal final state.
 */
public final class RunStore {
    private static final System.Logger LOG = System.getLogger(RunStore.class.getName());
    private static final String LIVE = "('QUEUED', 'RUNNING')";
    /** Runs deleted per transaction while pruning: bounds the lock time and the undo size of one step. */
    private static final int PRUNE_CHUNK = 200;

    private final Database db;

    RunStore(Database db) {
        this.db = db;
    }

    public Optional<RunRecord> get(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRow.COLUMNS + " FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(RunRow.read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The rows of those of {@code ids} that are stored, by id: one query per {@value InList#CHUNK} ids. */
    public Map<String, RunRecord> getAll(java.util.Collection<String> ids) {
        Map<String, RunRecord> found = new java.util.HashMap<>();
        for (List<String> chunk : InList.chunks(ids)) {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRow.COLUMNS + " FROM runs WHERE id IN "
                        + InList.marks(chunk.size()))) {
                    InList.bind(ps, 1, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            RunRecord run = RunRow.read(rs);
                            found.put(run.id(), run);
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    /** A page of runs, newest first; the cursor is the id of the last run of the previous page (ids sort by time). */
    public RunPage list(RunQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(RunRow.COLUMNS).append(" FROM runs WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.state() != null) {
            sql.append(" AND state = ?");
            params.add(query.state().name());
        }
        if (query.script() != null) {
            sql.append(" AND script = ?");
            params.add(query.script());
        }
        if (query.node() != null) {
            sql.append(" AND node = ?");
            params.add(query.node());
        }
        if (query.since() != null) {
            sql.append(" AND created_at >= ?");
            params.add(query.since());
        }
        if (query.cursor() != null) {
            sql.append(" AND id < ?");
            params.add(query.cursor());
        }
        // One more than asked: whether it exists says whether there is a next page.
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(query.limit() + 1);
        List<RunRecord> runs = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    Object p = params.get(i);
                    if (p instanceof Instant instant) {
                        Database.setInstant(ps, i + 1, instant);
                    } else {
                        ps.setObject(i + 1, p);
                    }
                }
                List<RunRecord> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(RunRow.read(rs));
                    }
                }
                return list;
            }
        });
        if (runs.size() <= query.limit()) {
            return new RunPage(List.copyOf(runs), null);
        }
        List<RunRecord> page = List.copyOf(runs.subList(0, query.limit()));
        return new RunPage(page, page.get(page.size() - 1).id());
    }

    /** The runs started as children of {@code parent}, oldest first. */
    public List<RunRecord> children(String parent) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRow.COLUMNS + " FROM runs WHERE parent = ? "
                    + "ORDER BY id")) {
                ps.setString(1, parent);
                List<RunRecord> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(RunRow.read(rs));
                    }
                }
                return list;
            }
        });
    }

    /** How many runs are in each state; states without runs are absent. */
    public Map<RunState, Long> countsByState() {
        return db.read(c -> {
            Map<RunState, Long> counts = new EnumMap<>(RunState.class);
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM runs GROUP BY state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(RunState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    /**
     * Marks every QUEUED or RUNNING run LOST, with {@code reason} as its error, and returns how many. Meant for
     * start-up, before any run of this process exists: those runs belonged to a process that is gone. Their
     * events so far stay readable, and their last sequence number is taken from the events that reached the
     * store. A run whose last stored event is its final {@code state} event ended before the process went, only
     * its row did not learn it: it ends with that state instead, and is not counted (see StoredEnds). The
     * same holds for every other way of marking runs LOST here.
     */
    public int markLost(String reason) {
        return markLostWhere("1 = 1", List.of(), reason);
    }

    /**
     * Marks LOST the QUEUED or RUNNING runs of primary {@code primaryId} (and, when {@code alsoUnowned}, those that
     * name no primary: rows from before several primaries shared a database). For a primary's start-up, when its
     * runs in progress belonged to its previous process; the runs of other primaries are not touched.
     */
    public int markLostOf(String primaryId, boolean alsoUnowned, String reason) {
        return markLostWhere("(primary_id = ?" + (alsoUnowned ? " OR primary_id IS NULL)" : ")"), List.of(primaryId),
                reason);
    }

    /**
     * Marks LOST the QUEUED or RUNNING runs of primary {@code primaryId} unless its row in {@code primaries} was
     * refreshed within {@code silentFor} (database clock): that guard makes a primary that came back keep its runs,
     * and a run adopted by another primary meanwhile (its {@code primary_id} changed) is not matched at all.
     */
    public int markLostOfSilentPrimary(String primaryId, Duration silentFor, String reason) {
        return markLostWhere("primary_id = ? AND NOT EXISTS (SELECT 1 FROM primaries p WHERE p.id = runs.primary_id "
                + "AND p.seen_at >= " + DbClock.nowPlus(db.postgres(), silentFor.negated()) + ")", List.of(primaryId),
                reason);
    }

    /** The primaries that own QUEUED or RUNNING runs (not counting runs that name none). */
    public java.util.Set<String> primariesWithLiveRuns() {
        return db.read(c -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT primary_id FROM runs WHERE state IN " + LIVE
                    + " AND primary_id IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /**
     * Marks LOST the live runs matching {@code condition} (its {@code ?} bound to {@code params}), in one
     * transaction; a run whose final {@code state} event is stored is ended with that state instead
     * ({@link StoredEnds}), and is not counted.
     */
    private int markLostWhere(String condition, List<String> params, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        int[] ended = new int[1];
        int lost = db.inTransaction(c -> {
            ended[0] = StoredEnds.end(c, condition, params);
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET state = 'LOST', error_script = script, "
                    + "error_line = 0, error_column = 0, error_message = ?, ended_at = ?, "
                    + "last_seq = COALESCE((SELECT MAX(e.seq) FROM run_events e WHERE e.run_id = runs.id), last_seq) "
                    + "WHERE state IN " + LIVE + " AND " + condition)) {
                ps.setString(1, reason);
                Database.setInstant(ps, 2, Database.now());
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 3, params.get(i));
                }
                return ps.executeUpdate();
            }
        });
        if (ended[0] > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} runs had their final state event stored but not their record''s "
                    + "end (their primary stopped between the two): ended with that state, not LOST", ended[0]);
        }
        return lost;
    }

    /**
     * Brings the live (QUEUED or RUNNING) runs of {@code node} that another primary started or adopted under
     * {@code primaryId}, and returns them as they were read: an agent that failed over to this primary brings its
     * runs under way with it (docs/cluster.md, "Agents and failover"). Runs of this primary already, and runs that
     * have ended (LOST included, which may still learn its real end), are left as they are.
     */
    public List<RunRecord> adopt(String node, String primaryId) {
        if (node == null || primaryId == null) {
            throw new IllegalArgumentException("a node and a primary id are needed");
        }
        String others = " WHERE node = ? AND state IN " + LIVE + " AND (primary_id IS NULL OR primary_id <> ?)";
        return db.inTransaction(c -> {
            List<RunRecord> adopted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRow.COLUMNS + " FROM runs" + others
                    + " ORDER BY id")) {
                ps.setString(1, node);
                ps.setString(2, primaryId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        adopted.add(RunRow.read(rs));
                    }
                }
            }
            if (!adopted.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET primary_id = ?" + others)) {
                    ps.setString(1, primaryId);
                    ps.setString(2, node);
                    ps.setString(3, primaryId);
                    ps.executeUpdate();
                }
            }
            return adopted;
        });
    }

    /** The primary a run belongs to (the one that started or last adopted it); empty for an unknown run. */
    public Optional<String> primaryOf(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT primary_id FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Deletes finished runs, with their events and output, that ended before {@code now - maxAge} (unless
     * {@code maxAge} is null) or are older than the newest {@code maxRuns} finished runs (unless it is 0).
     * Runs still QUEUED or RUNNING are never pruned. Returns how many runs were deleted.
     */
    public int prune(Duration maxAge, int maxRuns) {
        if (maxRuns < 0) {
            throw new IllegalArgumentException("runs to keep must be 0 (any number) or more, not " + maxRuns);
        }
        int deleted = 0;
        if (maxAge != null) {
            Instant cutoff = Instant.now().minus(maxAge);
            deleted += pruneWhile("ended_at < ?", cutoff);
        }
        if (maxRuns > 0) {
            String boundary = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE state NOT IN " + LIVE
                        + " ORDER BY id DESC LIMIT 1 OFFSET ?")) {
                    ps.setInt(1, maxRuns);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
            if (boundary != null) {
                deleted += pruneWhile("id <= ?", boundary);
            }
        }
        return deleted;
    }

    /** Deletes finished runs matching {@code condition} (one parameter), a chunk per transaction. */
    private int pruneWhile(String condition, Object param) {
        int total = 0;
        while (true) {
            int n = db.inTransaction(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE state NOT IN " + LIVE
                        + " AND " + condition + " ORDER BY id LIMIT " + PRUNE_CHUNK)) {
                    if (param instanceof Instant instant) {
                        Database.setInstant(ps, 1, instant);
                    } else {
                        ps.setString(1, (String) param);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                return deleteRuns(c, ids);
            });
            total += n;
            if (n < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    private static int deleteRuns(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement secrets = c.prepareStatement("DELETE FROM run_secrets WHERE run_id = ?");
             PreparedStatement output = c.prepareStatement("DELETE FROM run_output_marks WHERE run_id = ?");
             PreparedStatement events = c.prepareStatement("DELETE FROM run_events WHERE run_id = ?");
             PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE id = ? AND state NOT IN " + LIVE)) {
            for (String id : ids) {
                secrets.setString(1, id);
                secrets.addBatch();
                output.setString(1, id);
                output.addBatch();
                events.setString(1, id);
                events.addBatch();
                runs.setString(1, id);
                runs.addBatch();
            }
            secrets.executeBatch();
            output.executeBatch();
            events.executeBatch();
            int deleted = 0;
            for (int n : runs.executeBatch()) {
                deleted += Math.max(n, 0);
            }
            return deleted;
        }
    }
}
