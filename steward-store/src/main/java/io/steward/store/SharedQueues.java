package io.steward.store;

import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Journal;
import io.steward.coordination.Owner;
import io.steward.engine.JsonValues;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SharedCoordination}'s queues: messages are rows of {@code coord_messages} with ids from the
 * {@code coord_message_ids} sequence. A put announces itself; a take is one
 * {@code DELETE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}, so two takers on any primaries never get
 * one message, and a taker skips past a head another is taking instead of waiting for it.
 */
final class SharedQueues {
    private final Database db;
    private final String self;
    private final CoordinationWaiters waiters;

    SharedQueues(Database db, String self, CoordinationWaiters waiters) {
        this.db = db;
        this.self = self;
        this.waiters = waiters;
    }

    /** Ids of messages a single primary stored before the sequence existed must not come again. */
    void catchUpMessageIds() {
        db.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE coord_messages IN SHARE ROW EXCLUSIVE MODE")) {
                lock.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT setval('coord_message_ids', GREATEST("
                    + "(SELECT COALESCE(MAX(id), 0) FROM coord_messages), (SELECT last_value FROM coord_message_ids)))")) {
                s.execute();
            }
            return null;
        });
    }

    long put(String queue, Object message) {
        CoordinationNames.check("queue", queue);
        Object value = JsonValues.copy("the message", message);
        long id = insertMessage(queue, null, value);
        waiters.changed("queue:" + queue);
        return id;
    }

    /** Stores a message with a new id, or with {@code id} (one given back); announces it. */
    private long insertMessage(String queue, Long id, Object value) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH m AS (INSERT INTO coord_messages (queue, id, data) VALUES "
                    + "(?, " + (id == null ? "nextval('coord_message_ids')" : "?") + ", ?) RETURNING id) SELECT id, "
                    + CoordinationRows.NOTIFY + " FROM m")) {
                int i = 1;
                s.setString(i++, queue);
                if (id != null) {
                    s.setLong(i++, id);
                }
                s.setString(i++, Json.write(value));
                s.setString(i, "queue:" + queue + " " + self);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    Journal.StoredMessage take(String queue, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("queue", queue);
        CoordinationNames.checkTimeout("queue '" + queue + "'", timeoutMs);
        // A taker whose run ended just as a message reached it puts the message back where it was: not lost.
        return waiters.waitFor("queue:" + queue, owner, 0, timeoutMs, true, take -> take ? takeHead(queue) : null,
                m -> insertMessage(queue, m.id(), m.value()));
    }

    private Journal.StoredMessage takeHead(String queue) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_messages WHERE queue = ? AND id = (SELECT id "
                    + "FROM coord_messages WHERE queue = ? ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, data")) {
                s.setString(1, queue);
                s.setString(2, queue);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Journal.StoredMessage(queue, r.getLong(1), CoordinationRows.value(r.getString(2))) : null;
                }
            }
        });
    }

    int depth(String queue) {
        CoordinationNames.check("queue", queue);
        return (int) (long) db.read(c -> CoordinationRows.count(c, "SELECT count(*) FROM coord_messages WHERE queue = ?", queue));
    }

    long messages() {
        return db.read(c -> CoordinationRows.count(c, "SELECT count(*) FROM coord_messages", null));
    }

    /** Every queue with messages (or takers here): name, depth, this primary's takers. */
    List<Map<String, Object>> view() {
        Map<String, Long> depths = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT queue, count(*) FROM coord_messages GROUP BY queue");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    depths.put(r.getString(1), r.getLong(2));
                }
            }
            return null;
        });
        waiters.names("queue").forEach(q -> depths.putIfAbsent(q, 0L));
        List<Map<String, Object>> out = new ArrayList<>();
        depths.forEach((name, depth) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("depth", depth);
            m.put("waiters", waiters.waiting("queue:" + name).stream().map(CoordinationRows::who).toList());
            out.add(m);
        });
        return out;
    }
}
