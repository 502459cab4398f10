package io.steward.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code child_dispatch} table: how a primary running a fan-out hands a child to the primary holding its agent's
 * link, through the database they share (trusted already; no primary-to-primary credentials). Each change that the
 * other side should act on sends a {@code NOTIFY} on {@value #CHANNEL} inside its transaction (payload: the primary
 * addressed), so it is heard only once committed; the listeners also poll now and then, so a missed notice costs a
 * poll's delay. A row is taken once: by its owner, which starts the child, or by the sender, which gives the child
 * up when the owner is gone — whichever commits first, the other finds it taken.
 */
public final class ChildDispatchStore {
    /** The channel of dispatch notices; the payload is the id of the primary that should look. */
    public static final String CHANNEL = "steward_dispatch";
    private static final String COLUMNS = "id, parent, node, owner, sender, script, version, args, timeout_ms";

    private final Database db;

    ChildDispatchStore(Database db) {
        this.db = db;
    }

    /** Writes the child for its owner to take, and tells the owner. */
    public void offer(ChildDispatch d) {
        offerAll(List.of(d));
    }

    /**
     * Writes the children for their owners to take in one transaction, and tells each owner once: a fan-out of
     * thousands hands its children on in a few commits rather than one each.
     */
    public void offerAll(List<ChildDispatch> children) {
        if (children.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            java.util.Set<String> owners = new java.util.LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO child_dispatch (" + COLUMNS
                    + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                for (ChildDispatch d : children) {
                    ps.setString(1, d.id());
                    ps.setString(2, d.parent());
                    ps.setString(3, d.node());
                    ps.setString(4, d.owner());
                    ps.setString(5, d.sender());
                    ps.setString(6, d.script());
                    ps.setInt(7, d.version());
                    ps.setString(8, Json.write(d.args()));
                    if (d.timeoutMs() == null) {
                        ps.setNull(9, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(9, d.timeoutMs());
                    }
                    ps.addBatch();
                    owners.add(d.owner());
                }
                ps.executeBatch();
            }
            for (String owner : owners) {
                notify(c, owner);
            }
            return null;
        });
    }

    /**
     * Takes up to {@code limit} children offered to {@code owner} and not taken yet, oldest first, in one statement:
     * rows another transaction is taking are skipped, not waited for, and a row is taken by one transaction only.
     */
    public List<ChildDispatch> take(String owner, int limit) {
        return db.inTransaction(c -> {
            List<ChildDispatch> taken = new ArrayList<>();
            if (!db.postgres()) { // H2 has one primary, which nobody offers anything; kept correct all the same
                for (ChildDispatch d : open(c, owner, limit)) {
                    if (mark(c, d.id(), owner)) {
                        taken.add(d);
                    }
                }
                return taken;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE child_dispatch SET taken_at = CURRENT_TIMESTAMP, "
                    + "taken_by = ? WHERE id IN (SELECT id FROM child_dispatch WHERE owner = ? AND taken_at IS NULL "
                    + "ORDER BY created_at, id LIMIT " + limit + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)) {
                ps.setString(1, owner);
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.add(read(rs));
                    }
                }
            }
            return taken;
        });
    }

    private static List<ChildDispatch> open(Connection c, String owner, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM child_dispatch WHERE owner = ? "
                + "AND taken_at IS NULL ORDER BY created_at, id LIMIT " + limit)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                List<ChildDispatch> open = new ArrayList<>();
                while (rs.next()) {
                    open.add(read(rs));
                }
                return open;
            }
        }
    }

    /** Takes child {@code id} for {@code by} if nobody has; false when it was taken already (or is gone). */
    public boolean takeOne(String id, String by) {
        return db.inTransaction(c -> mark(c, id, by));
    }

    private static boolean mark(Connection c, String id, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE child_dispatch SET taken_at = CURRENT_TIMESTAMP, "
                + "taken_by = ? WHERE id = ? AND taken_at IS NULL")) {
            ps.setString(1, by);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Who took child {@code id}: empty while nobody has (or when its row is gone). */
    public java.util.Optional<String> takenBy(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT taken_by FROM child_dispatch WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.<String>empty();
                }
            }
        });
    }

    /** Asks for child {@code id} to be cancelled, and tells every primary (its agent may have moved on from the owner). */
    public void cancel(String id, String reason) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE child_dispatch SET cancel_reason = ? WHERE id = ? "
                    + "AND cancel_reason IS NULL")) {
                ps.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            notify(c, "*");
            return null;
        });
    }

    /** The children whose cancel is asked for and not passed on yet: id → reason. */
    public Map<String, String> cancelsAsked() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, cancel_reason FROM child_dispatch WHERE "
                    + "cancel_reason IS NOT NULL AND cancelled_at IS NULL AND taken_at IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                Map<String, String> asked = new LinkedHashMap<>();
                while (rs.next()) {
                    asked.put(rs.getString(1), rs.getString(2));
                }
                return asked;
            }
        });
    }

    /** The cancel of child {@code id} has reached the primary holding it. */
    public void cancelPassedOn(String id) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE child_dispatch SET cancelled_at = CURRENT_TIMESTAMP "
                    + "WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the rows of children {@code ids}: they have ended, and their parent's primary knows. */
    public void removeAll(java.util.Collection<String> ids) {
        for (List<String> chunk : InList.chunks(ids)) {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM child_dispatch WHERE id IN "
                        + InList.marks(chunk.size()))) {
                    InList.bind(ps, 1, chunk);
                    return ps.executeUpdate();
                }
            });
        }
    }

    /**
     * Drops every row primary {@code sender} wrote: it is gone, its fan-outs are LOST, and nobody will follow their
     * children. A child not taken yet never starts (its sealed args go with it); one taken runs on to its end as its
     * primary's run, which never needed the row. Returns how many children were dropped before they started.
     */
    public int forgetSentBy(String sender) {
        return db.inTransaction(c -> {
            try (PreparedStatement secrets = c.prepareStatement("DELETE FROM run_secrets WHERE run_id IN (SELECT id "
                    + "FROM child_dispatch WHERE sender = ? AND taken_at IS NULL)");
                 PreparedStatement untaken = c.prepareStatement("DELETE FROM child_dispatch WHERE sender = ? AND "
                         + "taken_at IS NULL");
                 PreparedStatement rest = c.prepareStatement("DELETE FROM child_dispatch WHERE sender = ?")) {
                secrets.setString(1, sender);
                secrets.executeUpdate();
                untaken.setString(1, sender);
                int dropped = untaken.executeUpdate();
                rest.setString(1, sender);
                rest.executeUpdate();
                return dropped;
            }
        });
    }

    private void notify(Connection c, String to) throws SQLException {
        if (!db.postgres()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            s.setString(1, to);
            s.executeQuery().close();
        }
    }

    private static ChildDispatch read(ResultSet rs) throws SQLException {
        long timeout = rs.getLong("timeout_ms");
        Long timeoutMs = rs.wasNull() ? null : timeout;
        return new ChildDispatch(rs.getString("id"), rs.getString("parent"), rs.getString("node"), rs.getString("owner"),
                rs.getString("sender"), rs.getString("script"), rs.getInt("version"), Json.readMap(rs.getString("args")),
                timeoutMs);
    }
}
