package io.steward.store;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the pool which failures leave an embedded H2 connection useless for good. When a write fails (a full disk),
 * H2 closes its store: every pooled connection to it then fails with "database is closed" or the write's I/O error
 * for ever, and the pool, which judges connections by SQLSTATE class 08 only, would keep handing them out, so the
 * primary stayed broken after the space came back. Evicting them lets the next connection open the database again
 * from its file, which is how H2 recovers.
 */
final class BrokenConnections implements SQLExceptionOverride {
    /** H2's ErrorCode values: DATABASE_IS_CLOSED, IO_EXCEPTION_1/2, FILE_CORRUPTED_1,
     *  and GENERAL_ERROR_1, which is what a failed store write surfaces as. */
    private static final Set<Integer> H2_BROKEN = Set.of(90098, 90028, 90031, 90030, 50000);

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return H2_BROKEN.contains(e.getErrorCode()) ? SQLExceptionOverride.Override.MUST_EVICT
                : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
