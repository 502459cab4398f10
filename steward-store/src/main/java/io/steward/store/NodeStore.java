package io.steward.store;

import io.steward.coordinator.NodeInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The nodes the primary knows: itself and its agents, with their latest info. */
public final class NodeStore {
    private final Database db;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    NodeStore(Database db) {
        this.db = db;
    }

    /**
     * Tells {@code listener} the name of each node whose record was written (state, info or last seen), after the
     * write; on the writing thread, so the listener must only hand it off.
     *
     * @return what stops the telling
     */
    public Runnable onChange(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Records a node's info and state as seen now. */
    public void upsert(NodeInfo info, String state) {
        upsert(info.name(), info.toMap(), state, Instant.now());
    }

    /** Inserts or replaces a node's record. {@code info} must be JSON values. */
    public void upsert(String name, Map<String, Object> info, String state, Instant lastSeen) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("a node name of 1 to 255 characters is required");
        }
        if (state == null || state.isBlank() || state.length() > 16) {
            throw new IllegalArgumentException("a node state of 1 to 16 characters is required");
        }
        String json = Json.write(info);
        // Update, else insert; a concurrent insert of the same name makes ours a duplicate, so update again.
        for (int attempt = 1; ; attempt++) {
            try {
                db.inTransactionOrThrow(c -> {
                    try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET state = ?, info = ?, "
                            + "last_seen = ? WHERE name = ?")) {
                        update.setString(1, state);
                        update.setString(2, json);
                        Database.setInstant(update, 3, lastSeen);
                        update.setString(4, name);
                        if (update.executeUpdate() == 1) {
                            return null;
                        }
                    }
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO nodes (name, state, info, "
                            + "last_seen) VALUES (?, ?, ?, ?)")) {
                        insert.setString(1, name);
                        insert.setString(2, state);
                        insert.setString(3, json);
                        Database.setInstant(insert, 4, lastSeen);
                        insert.executeUpdate();
                    }
                    return null;
                });
                listeners.forEach(l -> l.accept(name));
                return;
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e) || attempt >= 3) {
                    throw new StoreException(e);
                }
            }
        }
    }

    public Optional<NodeRecord> get(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, state, info, last_seen FROM nodes "
                    + "WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every node, by name. */
    public List<NodeRecord> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, state, info, last_seen FROM nodes "
                    + "ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<NodeRecord> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(read(rs));
                }
                return list;
            }
        });
    }

    private static NodeRecord read(ResultSet rs) throws SQLException {
        return new NodeRecord(rs.getString("name"), rs.getString("state"), Json.readMap(rs.getString("info")),
                Database.getInstant(rs, "last_seen"));
    }
}
