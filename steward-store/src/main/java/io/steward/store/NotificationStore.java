package io.steward.store;


import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notifications and their delivery attempts. The list of notifications is read on every run end, so it is kept in
 * memory and refreshed by every change made through this object (all changes go through it).
 */
public final class NotificationStore {
    private final Database db;
    private final AtomicReference<List<Notification>> cached = new AtomicReference<>();

    NotificationStore(Database db) {
        this.db = db;
    }

    /**
     * Stores a new notification.
     *
     * @throws StoreConflictException when one of that name exists
     */
    public void create(Notification n) {
        ScriptStore.checkActor("creator", n.createdBy());
        try {
            db.inTransactionOrThrow(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO notifications (name, states, script, "
                        + "webhook, run_script, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, n.name());
                    ps.setString(2, String.join(",", n.states().stream().sorted().map(Enum::name).toList()));
                    ps.setString(3, n.script());
                    ps.setString(4, n.webhook());
                    ps.setString(5, n.runScript());
                    Database.setInstant(ps, 6, n.createdAt() != null ? n.createdAt() : Database.now());
                    ps.setString(7, n.createdBy());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                throw new StoreConflictException("a notification named '" + n.name() + "' already exists: remove it "
                        + "first (steward notify rm " + n.name() + ") or choose another name");
            }
            throw new StoreException(e);
        } finally {
            refresh();
        }
    }

    /**
     * Reads the notifications again after a change, so that the next run end (which asks under its run's lock)
     * finds them in memory; a failure leaves the next {@link #list} to read them.
     */
    private void refresh() {
        cached.set(null);
        try {
            list();
        } catch (StoreException e) {
            cached.set(null);
        }
    }

    /** Every notification, by name. */
    public List<Notification> list() {
        List<Notification> all = cached.get();
        if (all == null) {
            all = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notifications ORDER BY name");
                     ResultSet rs = ps.executeQuery()) {
                    List<Notification> found = new ArrayList<>();
                    while (rs.next()) {
                        found.add(notification(rs));
                    }
                    return List.copyOf(found);
                }
            });
            cached.set(all);
        }
        return all;
    }

    /** The notifications if they are held in memory, else null: for callers that must not do I/O. */
    public List<Notification> listIfLoaded() {
        return cached.get();
    }

    public Optional<Notification> get(String name) {
        return list().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Removes a notification and its delivery record; {@code false} when there is none of that name. */
    public boolean delete(String name) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_deliveries WHERE notification = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM notifications WHERE name = ?")) {
                    ps.setString(1, name);
                    return ps.executeUpdate() > 0;
                }
            });
        } finally {
            refresh();
        }
    }

    public void recordDelivery(String notification, String runId, int attempt, Delivery.Outcome outcome, String detail) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_deliveries (notification, run_id, "
                    + "attempt, outcome, detail, attempted_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, notification);
                ps.setString(2, runId);
                ps.setInt(3, attempt);
                ps.setString(4, outcome.name());
                ps.setString(5, detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000));
                Database.setInstant(ps, 6, Database.now());
                return ps.executeUpdate();
            }
        });
    }

    /** The latest {@code limit} delivery attempts of a notification, oldest first. */
    public List<Delivery> deliveries(String notification, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notification_deliveries WHERE notification = ? "
                    + "ORDER BY id DESC")) {
                ps.setString(1, notification);
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Delivery> found = new ArrayList<>();
                    while (rs.next()) {
                        found.add(new Delivery(rs.getLong("id"), rs.getString("notification"), rs.getString("run_id"),
                                rs.getInt("attempt"), Delivery.Outcome.valueOf(rs.getString("outcome")),
                                rs.getString("detail"), Database.getInstant(rs, "attempted_at")));
                    }
                    return found.reversed();
                }
            }
        });
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("name"), Notification.parseStates(rs.getString("states")),
                rs.getString("script"), rs.getString("webhook"), rs.getString("run_script"),
                Database.getInstant(rs, "created_at"), rs.getString("created_by"));
    }
}
