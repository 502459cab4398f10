package io.steward.store;

import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Journal;
import io.steward.engine.JsonValues;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@link SharedCoordination}'s variables: rows of {@code coord_vars}. A put is one upsert that moves the version on;
 * a compare-and-set reads, compares as JSON (as {@link io.steward.coordination.Vars} does) and writes only if the
 * row's version is still the one it read, reading again if another primary came between. An expired variable reads
 * as absent at once and leaves the table at the next sweep.
 */
final class SharedVars {
    private final Database db;
    private final LongSupplier clock;

    SharedVars(Database db, LongSupplier clock) {
        this.db = db;
        this.clock = clock;
    }

    Journal.StoredVar get(String scope, String name) {
        check(scope, name);
        Journal.StoredVar v = readVar(scope, name);
        return v == null || expired(v) ? null : v;
    }

    Journal.StoredVar put(String scope, String name, Object value, long ttlMs) {
        check(scope, name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_vars (scope, name, data, version, expires_at) "
                    + "VALUES (?, ?, ?, 1, ?) ON CONFLICT (scope, name) DO UPDATE SET data = EXCLUDED.data, "
                    + "version = coord_vars.version + 1, expires_at = EXCLUDED.expires_at RETURNING version")) {
                s.setString(1, scope);
                s.setString(2, name);
                s.setString(3, Json.write(v));
                CoordinationRows.setLong(s, 4, expiresAt);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Journal.StoredVar(scope, name, v, r.getLong(1), expiresAt);
                }
            }
        });
    }

    Journal.StoredVar compareAndSet(String scope, String name, Object expected, Object value, long ttlMs) {
        check(scope, name);
        Object want = JsonValues.copy("the expected value", expected);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        while (true) {
            Journal.StoredVar row = readVar(scope, name);
            Journal.StoredVar current = row == null || expired(row) ? null : row;
            if (!Objects.equals(current == null ? null : current.value(), want) || (want == null && current != null)) {
                return null;
            }
            Journal.StoredVar set = writeIfUnchanged(row, scope, name, v, expiresAt);
            if (set != null) {
                return set;
            }
            // another primary changed it between the read and the write: compare again with what it wrote
        }
    }

    Journal.StoredVar setIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        check(scope, name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Long expiresAt = expiry(name, ttlMs);
        while (true) {
            Journal.StoredVar row = readVar(scope, name);
            long now = row == null || expired(row) ? 0 : row.version();
            if (now != version) {
                return null;
            }
            Journal.StoredVar set = writeIfUnchanged(row, scope, name, v, expiresAt);
            if (set != null) {
                return set;
            }
        }
    }

    /** Writes the variable only if its row is still {@code row} (null: still absent); null when it is not. */
    private Journal.StoredVar writeIfUnchanged(Journal.StoredVar row, String scope, String name, Object v, Long expiresAt) {
        String sql = row == null
                ? "INSERT INTO coord_vars (scope, name, data, version, expires_at) VALUES (?, ?, ?, 1, ?) "
                + "ON CONFLICT (scope, name) DO NOTHING RETURNING version"
                : "UPDATE coord_vars SET data = ?, expires_at = ?, version = version + 1 "
                + "WHERE scope = ? AND name = ? AND version = ? RETURNING version";
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (row == null) {
                    s.setString(1, scope);
                    s.setString(2, name);
                    s.setString(3, Json.write(v));
                    CoordinationRows.setLong(s, 4, expiresAt);
                } else {
                    s.setString(1, Json.write(v));
                    CoordinationRows.setLong(s, 2, expiresAt);
                    s.setString(3, scope);
                    s.setString(4, name);
                    s.setLong(5, row.version());
                }
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Journal.StoredVar(scope, name, v, r.getLong(1), expiresAt) : null;
                }
            }
        });
    }

    boolean remove(String scope, String name) {
        check(scope, name);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM coord_vars WHERE scope = ? AND name = ? RETURNING expires_at")) {
                s.setString(1, scope);
                s.setString(2, name);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return false;
                    }
                    long expires = r.getLong(1);
                    return r.wasNull() || expires > clock.getAsLong();
                }
            }
        });
    }

    List<String> names(String scope) {
        return list(CoordinationNames.checkScope(scope)).stream().map(Journal.StoredVar::name).toList();
    }

    List<Journal.StoredVar> list(String scope) {
        if (scope != null) {
            CoordinationNames.checkScope(scope);
        }
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT scope, name, data, version, expires_at FROM coord_vars "
                    + "WHERE (? IS NULL OR scope = ?) AND (expires_at IS NULL OR expires_at > ?) "
                    + "ORDER BY scope COLLATE \"C\", name COLLATE \"C\"")) {
                s.setString(1, scope);
                s.setString(2, scope);
                s.setLong(3, clock.getAsLong());
                List<Journal.StoredVar> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(var(r));
                    }
                }
                return out;
            }
        });
    }

    int sweep() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_vars WHERE expires_at <= ?")) {
                s.setLong(1, clock.getAsLong());
                return s.executeUpdate();
            }
        });
    }

    private Journal.StoredVar readVar(String scope, String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT scope, name, data, version, expires_at FROM coord_vars WHERE scope = ? AND name = ?")) {
                s.setString(1, scope);
                s.setString(2, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? var(r) : null;
                }
            }
        });
    }

    private static Journal.StoredVar var(ResultSet r) throws SQLException {
        long expires = r.getLong(5);
        Long expiresAt = r.wasNull() ? null : expires;
        return new Journal.StoredVar(r.getString(1), r.getString(2), CoordinationRows.value(r.getString(3)), r.getLong(4), expiresAt);
    }

    private boolean expired(Journal.StoredVar v) {
        return v.expiresAt() != null && v.expiresAt() <= clock.getAsLong();
    }

    private Long expiry(String name, long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("variable '" + name + "': ttl must be 0 (none) or more milliseconds, not " + ttlMs);
        }
        return ttlMs == 0 ? null : clock.getAsLong() + ttlMs;
    }

    private static void check(String scope, String name) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
    }
}
