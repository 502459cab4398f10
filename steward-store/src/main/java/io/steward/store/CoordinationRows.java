package io.steward.store;

import io.steward.coordination.LocalCoordination;
import io.steward.coordination.Owner;
import io.steward.engine.JsonValues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The few SQL habits the parts of {@link SharedCoordination} share: advisory locks, notices, JSON values, holders. */
final class CoordinationRows {
    static final String CHANNEL = "steward_coord";
    /** A notice as an SQL expression; its one parameter is {@code kind:name sender}. */
    static final String NOTIFY = "pg_notify('" + CHANNEL + "', ?)";
    /** The first key of the advisory locks of coordination (the second is the hash of a name). */
    private static final int ADVISORY_CLASS = 15;

    private CoordinationRows() {
    }

    /** Serialises this transaction with every other one on {@code key} (on any primary) until it ends. */
    static void advisoryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            s.setInt(1, ADVISORY_CLASS);
            s.setString(2, key);
            s.executeQuery().close();
        }
    }

    /** Announces a change of {@code key} to every primary, once the transaction commits. */
    static void notify(Connection c, String key, String sender) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + NOTIFY)) {
            s.setString(1, key + " " + sender);
            s.executeQuery().close();
        }
    }

    static long count(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static List<String> strings(Database db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    /** A stored JSON value as scripts see values: whole numbers as Long, as {@link JsonValues} makes them. */
    static Object value(String json) {
        return JsonValues.copy("a stored value", Json.read(json));
    }

    /** A holder as views show it, from columns {@code run_id, node, thread, since} starting at {@code first}. */
    static Map<String, Object> who(ResultSet r, int first) throws SQLException {
        return LocalCoordination.who(new Owner(r.getString(first), r.getString(first + 1), r.getString(first + 2)),
                r.getLong(first + 3));
    }

    /** A waiter as views show it. */
    static Map<String, Object> who(CoordinationWaiters.Waiting w) {
        return LocalCoordination.who(w.owner, w.since);
    }
}
