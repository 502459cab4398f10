package io.steward.store;

import io.steward.coordination.Journal;
import io.steward.engine.JsonValues;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordination journal on H2 and PostgreSQL: variables, queued messages, pool entries and posted events, each
 * change committed before {@link io.steward.coordination.LocalCoordination} lets it take effect. Message ids come from a
 * counter that starts past the highest stored id: one primary writes them. Several primaries on PostgreSQL do not use
 * this journal: {@link SharedCoordination} keeps all of coordination in the database, ids from a sequence.
 */
public final class CoordinationStore implements Journal, AutoCloseable {
    private final Database db;
    private final AtomicLong messageIds;
    /**
     * Every write runs here, never on the caller's thread: callers are script threads, which a cancel interrupts, and
     * an H2 file interrupted in the middle of a write closes the whole database. The caller waits without being
     * interruptible; its interrupt stays set for what it does next.
     */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("steward-coordination-writer").factory());

    CoordinationStore(Database db) {
        this.db = db;
        this.messageIds = new AtomicLong(db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM coord_messages");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }));
    }

    @Override
    public List<StoredVar> vars() {
        return db.read(c -> {
            List<StoredVar> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT scope, name, data, version, expires_at FROM coord_vars ORDER BY scope, name");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long expires = r.getLong(5);
                    Long expiresAt = r.wasNull() ? null : expires; // before reading another column
                    out.add(new StoredVar(r.getString(1), r.getString(2), value(r.getString(3)), r.getLong(4), expiresAt));
                }
            }
            return out;
        });
    }

    @Override
    public void putVar(StoredVar var) {
        write(c -> {
            delete(c.prepareStatement("DELETE FROM coord_vars WHERE scope = ? AND name = ?"), var.scope(), var.name());
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO coord_vars (scope, name, data, version, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, var.scope());
                s.setString(2, var.name());
                s.setString(3, Json.write(var.value()));
                s.setLong(4, var.version());
                if (var.expiresAt() == null) {
                    s.setNull(5, Types.BIGINT);
                } else {
                    s.setLong(5, var.expiresAt());
                }
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removeVar(String scope, String name) {
        write(c -> delete(c.prepareStatement("DELETE FROM coord_vars WHERE scope = ? AND name = ?"), scope, name));
    }

    @Override
    public List<StoredMessage> messages() {
        return db.read(c -> {
            List<StoredMessage> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT queue, id, data FROM coord_messages ORDER BY queue, id");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new StoredMessage(r.getString(1), r.getLong(2), value(r.getString(3))));
                }
            }
            return out;
        });
    }

    @Override
    public long putMessage(String queue, Object value) {
        long id = messageIds.incrementAndGet();
        write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_messages (queue, id, data) VALUES (?, ?, ?)")) {
                s.setString(1, queue);
                s.setLong(2, id);
                s.setString(3, Json.write(value));
                s.executeUpdate();
            }
            return null;
        });
        return id;
    }

    @Override
    public void takeMessage(String queue, long id) {
        int deleted = write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_messages WHERE queue = ? AND id = ?")) {
                s.setString(1, queue);
                s.setLong(2, id);
                return s.executeUpdate();
            }
        });
        if (deleted != 1) {
            throw new IllegalStateException("message " + id + " of queue '" + queue + "' is not in the store: it was taken already");
        }
    }

    @Override
    public List<StoredEntry> entries() {
        return db.read(c -> {
            List<StoredEntry> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT pool, entry, data FROM coord_pool_entries ORDER BY pool, entry");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new StoredEntry(r.getString(1), r.getString(2), value(r.getString(3))));
                }
            }
            return out;
        });
    }

    @Override
    public void putEntry(StoredEntry entry) {
        write(c -> {
            delete(c.prepareStatement("DELETE FROM coord_pool_entries WHERE pool = ? AND entry = ?"), entry.pool(), entry.entry());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_pool_entries (pool, entry, data) VALUES (?, ?, ?)")) {
                s.setString(1, entry.pool());
                s.setString(2, entry.entry());
                s.setString(3, Json.write(entry.value()));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removeEntry(String pool, String entry) {
        write(c -> delete(c.prepareStatement("DELETE FROM coord_pool_entries WHERE pool = ? AND entry = ?"), pool, entry));
    }

    @Override
    public Set<String> postedEvents() {
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM coord_events");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void eventState(String name, boolean posted) {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_events WHERE name = ?")) {
                s.setString(1, name);
                s.executeUpdate();
            }
            if (posted) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO coord_events (name) VALUES (?)")) {
                    s.setString(1, name);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    private <T> T write(Database.Work<T> work) {
        java.util.concurrent.Future<T> done = writer.submit(() -> db.inTransaction(work));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new StoreException(e.getMessage(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }

    /** A stored JSON value as scripts see values: whole numbers as Long, as {@link JsonValues} makes them. */
    private static Object value(String json) {
        return JsonValues.copy("a stored value", Json.read(json));
    }

    /** Runs a two-key delete and closes the statement. */
    private static Integer delete(PreparedStatement s, String a, String b) throws SQLException {
        try (s) {
            s.setString(1, a);
            s.setString(2, b);
            return s.executeUpdate();
        }
    }
}
