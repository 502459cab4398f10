package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** An audit entry ready to insert, its details already JSON. */
record AuditRow(Instant at, String actor, String action, String target, String details) {
    static final String INSERT = "INSERT INTO audit_log (logged_at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)";

    void bind(PreparedStatement ps) throws SQLException {
        Database.setInstant(ps, 1, at);
        ps.setString(2, actor);
        ps.setString(3, action);
        ps.setString(4, target);
        ps.setString(5, details);
    }
}
