package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code primaries} table: each primary sharing the database keeps a row it refreshes while it lives. Every
 * time here is the database's ({@code CURRENT_TIMESTAMP}), so "alive" means the same to every primary however
 * their clocks drift.
 */
public final class PrimaryStore {
    private final Database db;

    PrimaryStore(Database db) {
        this.db = db;
    }

    /** Writes this primary's row as started now: inserted, or replacing the row of its previous process. */
    public void register(String id, String url) {
        checkId(id);
        upsert(id, url, true, 0, "[]");
    }

    /**
     * Refreshes {@code seen_at} and the agents linked to this primary; {@code agentNames} may be {@code null} when
     * they did not change since the last refresh. A row that vanished (someone deleted it) is written again.
     */
    public void beat(String id, String url, int agents, List<String> agentNames) {
        checkId(id);
        upsert(id, url, false, agents, agentNames == null ? null : Json.write(agentNames));
    }

    private void upsert(String id, String url, boolean restart, int agents, String names) {
        String update = "UPDATE primaries SET url = ?, seen_at = CURRENT_TIMESTAMP, agents = ?"
                + (names != null ? ", agent_names = ?" : "") + (restart ? ", started_at = CURRENT_TIMESTAMP" : "")
                + " WHERE id = ?";
        // Update, else insert; a concurrent insert of the same id (only a misconfigured second process with the same
        // data folder does that) makes ours a duplicate, so update again.
        for (int attempt = 1; ; attempt++) {
            try {
                db.inTransactionOrThrow(c -> {
                    try (PreparedStatement ps = c.prepareStatement(update)) {
                        int i = 1;
                        ps.setString(i++, url);
                        ps.setInt(i++, agents);
                        if (names != null) {
                            ps.setString(i++, names);
                        }
                        ps.setString(i, id);
                        if (ps.executeUpdate() == 1) {
                            return null;
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO primaries (id, url, started_at, seen_at, "
                            + "agents, agent_names) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, ?)")) {
                        ps.setString(1, id);
                        ps.setString(2, url);
                        ps.setInt(3, agents);
                        ps.setString(4, names == null ? "[]" : names);
                        ps.executeUpdate();
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e) || attempt >= 3) {
                    throw new StoreException(e);
                }
            }
        }
    }

    /** Deletes this primary's row: it is closing cleanly. */
    public void remove(String id) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM primaries WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Every primary with a row, oldest start first; alive = refreshed within {@code ttl}. */
    public List<PrimaryRecord> list(Duration ttl) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, url, started_at, seen_at, agents, agent_names, "
                    + "CASE WHEN seen_at >= " + DbClock.nowPlus(db.postgres(), ttl.negated())
                    + " THEN 1 ELSE 0 END AS alive FROM primaries ORDER BY started_at, id");
                 ResultSet rs = ps.executeQuery()) {
                List<PrimaryRecord> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(new PrimaryRecord(rs.getString("id"), rs.getString("url"),
                            Database.getInstant(rs, "started_at"), Database.getInstant(rs, "seen_at"),
                            rs.getInt("alive") == 1, rs.getInt("agents"), names(rs.getString("agent_names"))));
                }
                return list;
            }
        });
    }

    /** The ids of the primaries that refreshed their rows within {@code ttl}. */
    public Set<String> aliveWithin(Duration ttl) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM primaries WHERE seen_at >= "
                    + DbClock.nowPlus(db.postgres(), ttl.negated()));
                 ResultSet rs = ps.executeQuery()) {
                Set<String> ids = new HashSet<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        });
    }

    /** The ids of every primary with a row, alive or not. */
    public Set<String> known() {
        return aliveWithin(Duration.ofDays(36_500));
    }

    private static List<String> names(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        Object value = Json.read(json);
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> names.add(String.valueOf(v)));
        }
        return names;
    }

    private static void checkId(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("a primary id is 1 to 64 characters, not " + id);
        }
    }
}
