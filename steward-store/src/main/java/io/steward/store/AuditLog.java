package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who invoked, cancelled, pushed, deleted or changed tokens. {@link #record} commits before it returns, for rare
 * administrative actions; {@link #recordLater} rides with the event writer's next group commit, for actions on the
 * hot path such as invokes, where a transaction of its own would cost more than the run.
 */
public final class AuditLog {
    public static final int MAX_LIST = 10_000;

    private final Database db;
    private final EventWriter writer;

    AuditLog(Database db, EventWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /** Records an entry and commits it. {@code details} must be JSON values (or null). */
    public void record(String actor, String action, String target, Map<String, Object> details) {
        AuditRow row = row(actor, action, target, details);
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(AuditRow.INSERT)) {
                row.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    /** Records an entry with the event writer's next commit: durable after the next {@code flush()}. */
    public void recordLater(String actor, String action, String target, Map<String, Object> details) {
        writer.audit(row(actor, action, target, details));
    }

    /** The newest {@code limit} entries, newest first. */
    public List<AuditEntry> list(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIST + ", not " + limit);
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, logged_at, actor, action, target, details "
                    + "FROM audit_log ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                List<AuditEntry> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new AuditEntry(rs.getLong(1), Database.getInstant(rs, "logged_at"), rs.getString(3),
                                rs.getString(4), rs.getString(5), Json.readMap(rs.getString(6))));
                    }
                }
                return list;
            }
        });
    }

    private static AuditRow row(String actor, String action, String target, Map<String, Object> details) {
        ScriptStore.checkActor("actor", actor);
        if (action == null || action.isBlank() || action.length() > 64) {
            throw new IllegalArgumentException("an action of 1 to 64 characters is required");
        }
        if (target != null && target.length() > 255) {
            throw new IllegalArgumentException("the target is longer than 255 characters");
        }
        return new AuditRow(Database.now(), actor, action, target, Json.writeNullable(details));
    }
}
