package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lease rows: single-owner work (firing schedules, reaping runs of dead primaries, pruning history) is done by the
 * primary holding its lease. Taking and renewing are one compare-and-set on the row, judged by the database's clock:
 * a lease is taken when it is absent, held by the taker already, or expired. Two primaries cannot both hold one,
 * however their clocks differ; what this class does not promise is that a holder notices at once when its lease
 * lapsed: the holder must stop its work as soon as a renewal fails (see io.steward.cluster.Leases).
 */
public final class LeaseStore {
    private final Database db;

    LeaseStore(Database db) {
        this.db = db;
    }

    /**
     * Takes or renews lease {@code name} for {@code holder} until the database's now plus {@code ttl}. True when
     * {@code holder} holds it afterwards; false when another holder's lease has not expired.
     */
    public boolean take(String name, String holder, Duration ttl) {
        String expires = DbClock.nowPlus(db.postgres(), ttl);
        try {
            return db.inTransactionOrThrow(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET holder = ?, expires_at = " + expires
                        + " WHERE name = ? AND (holder = ? OR expires_at < CURRENT_TIMESTAMP)")) {
                    ps.setString(1, holder);
                    ps.setString(2, name);
                    ps.setString(3, holder);
                    if (ps.executeUpdate() == 1) {
                        return true;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO leases (name, holder, expires_at) "
                        + "SELECT ?, ?, " + expires + " WHERE NOT EXISTS (SELECT 1 FROM leases WHERE name = ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, holder);
                    ps.setString(3, name);
                    return ps.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false; // another primary inserted it first: theirs
            }
            throw new StoreException(e);
        }
    }

    /** Gives lease {@code name} up if {@code holder} holds it, so that another primary may take it at once. */
    public void release(String name, String holder) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                return ps.executeUpdate();
            }
        });
    }

    /** Every lease row by name, with whether it had expired when read. */
    public List<LeaseRecord> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, holder, expires_at, CASE WHEN expires_at < "
                    + "CURRENT_TIMESTAMP THEN 1 ELSE 0 END AS expired FROM leases ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<LeaseRecord> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(new LeaseRecord(rs.getString("name"), rs.getString("holder"),
                            Database.getInstant(rs, "expires_at"), rs.getInt("expired") == 1));
                }
                return list;
            }
        });
    }
}
