package io.steward.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings the schema up to date with Flyway before anything else touches it. The SQL lives in
 * {@code db/migration} on the class path, one set of files for H2 and PostgreSQL alike.
 *
 * <p>Settings only one backend wants are applied here after the migrations, in code, where they can be checked and
 * repeated at every start: see {@link #tuneH2}.
 */
final class Migrations {
    /** Audit ids H2 hands out per write of its sequence; see {@link #tuneH2}. */
    static final int H2_AUDIT_ID_CACHE = 4096;

    private Migrations() {
    }

    /** Applies every pending migration; returns how many. */
    static int migrate(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // An applied migration whose file changed since is an error, not something to paper over.
                .validateOnMigrate(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /**
     * H2 only: lets the audit log's identity sequence hand out {@value #H2_AUDIT_ID_CACHE} ids per persisted step
     * instead of H2's default 32. Each step commits the sequence's new bound in a transaction of its own, which for
     * an embedded store is a write of every dirty page; with one audit entry per invoke that was an extra store
     * every 32 runs, about a fifth of the event writer's time under load. The cost is a gap in the ids after a crash
     * (H2 resumes after the persisted bound); their order, which is all the log relies on, is kept, since H2 hands
     * them out from one counter. Not for PostgreSQL, whose sequence caches are per session: ids from two
     * connections would interleave out of time order.
     */
    static void tuneH2(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                    + "WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = 'AUDIT_LOG' AND COLUMN_NAME = 'ID'");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) == H2_AUDIT_ID_CACHE) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_log ALTER COLUMN id SET CACHE " + H2_AUDIT_ID_CACHE);
            }
        }
    }
}
