package io.steward.store;

import io.steward.coordination.CoordinationNames;
import io.steward.coordination.Owner;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SharedCoordination}'s event semaphores: a posted event is a row of {@code coord_events}; every post and
 * pulse also moves the event's generation in {@code coord_event_pulses} on. A waiter remembers the generation it
 * found and is done when the event is posted or the generation moved, so a post that a reset followed at once, and
 * a pulse, still wake the waiters of every primary that were waiting then.
 */
final class SharedEvents {
    private final Database db;
    private final String self;
    private final CoordinationWaiters waiters;

    SharedEvents(Database db, String self, CoordinationWaiters waiters) {
        this.db = db;
        this.self = self;
        this.waiters = waiters;
    }

    void post(String event) {
        CoordinationNames.check("event", event);
        String key = "event:" + event;
        db.read(c -> {
            // The generation moves too: a waiter elsewhere that looks only after a reset still knows it was posted.
            try (PreparedStatement s = c.prepareStatement("WITH p AS (INSERT INTO coord_events (name) VALUES (?) "
                    + "ON CONFLICT (name) DO NOTHING), " + bump() + " SELECT " + CoordinationRows.NOTIFY)) {
                s.setString(1, event);
                s.setString(2, event);
                s.setString(3, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
    }

    void reset(String event) {
        CoordinationNames.check("event", event);
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM coord_events WHERE name = ?")) {
                s.setString(1, event);
                return s.executeUpdate();
            }
        });
    }

    int pulse(String event) {
        CoordinationNames.check("event", event);
        String key = "event:" + event;
        int here = waiters.waiting(key).size();
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("WITH " + bump() + " SELECT " + CoordinationRows.NOTIFY)) {
                s.setString(1, event);
                s.setString(2, key + " " + self);
                s.executeQuery().close();
            }
            return null;
        });
        waiters.changed(key);
        return here;
    }

    private static String bump() {
        return "g AS (INSERT INTO coord_event_pulses (name, generation) VALUES (?, 1) ON CONFLICT (name) "
                + "DO UPDATE SET generation = coord_event_pulses.generation + 1)";
    }

    boolean isPosted(String event) {
        CoordinationNames.check("event", event);
        return eventState(event)[0] == 1;
    }

    boolean await(String event, Owner owner, long timeoutMs) throws InterruptedException {
        CoordinationNames.check("event", event);
        CoordinationNames.checkTimeout("event '" + event + "'", timeoutMs);
        long[] first = eventState(event);
        if (first[0] == 1) {
            return true;
        }
        if (timeoutMs == 0) {
            return false;
        }
        Boolean woken = waiters.waitFor("event:" + event, owner, 0, timeoutMs, false, take -> {
            long[] now = eventState(event);
            return now[0] == 1 || now[1] != first[1] ? Boolean.TRUE : null;
        }, b -> { });
        return woken != null;
    }

    /** {posted (1 or 0), generation}. */
    private long[] eventState(String event) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM coord_events WHERE name = ?), "
                    + "(SELECT generation FROM coord_event_pulses WHERE name = ?)")) {
                s.setString(1, event);
                s.setString(2, event);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new long[] {r.getLong(1), r.getLong(2)};
                }
            }
        });
    }

    /** Every event posted (or waited for here): name, posted, this primary's waiters. */
    List<Map<String, Object>> view() {
        Set<String> posted = new java.util.TreeSet<>(CoordinationRows.strings(db, "SELECT name FROM coord_events"));
        Set<String> names = new java.util.TreeSet<>(posted);
        names.addAll(waiters.names("event"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("posted", posted.contains(name));
            m.put("waiters", waiters.waiting("event:" + name).stream().map(CoordinationRows::who).toList());
            out.add(m);
        }
        return out;
    }
}
