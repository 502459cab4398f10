package io.steward.store;

import io.steward.coordinator.RunState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Aggregate statistics of runs for the console's charts, computed by the database so that a week of runs is a few
 * hundred rows on the wire, not every run. The SQL is the subset H2 2.x and PostgreSQL share: {@code EXTRACT(EPOCH
 * FROM …)} for bucket numbers and durations (seconds as an exact decimal in both), conditional sums for the counts
 * per final state, and the ordered-set aggregate {@code PERCENTILE_CONT(…) WITHIN GROUP (ORDER BY …)}, which both
 * compute exactly over all of a bucket's durations (no sampling, no cap).
 *
 * <p>A run counts in the bucket of its end ({@code ended_at}): only ended runs have a final state and a duration.
 * Reads go through {@code runs_ended_at} (every script) or {@code runs_script_ended} (V8, named scripts).
 */
public final class RunStatistics {
    private static final List<RunState> FINAL = Arrays.stream(RunState.values()).filter(RunState::isTerminal).toList();
    private static final String DURATION = "(EXTRACT(EPOCH FROM ended_at) - EXTRACT(EPOCH FROM started_at))";

    private final Database db;

    RunStatistics(Database db) {
        this.db = db;
    }

    /** The names of the scripts with runs that ended from {@code since} until {@code until}, sorted. */
    public List<String> scriptsWithRuns(Instant since, Instant until) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT script FROM runs WHERE ended_at >= ? "
                    + "AND ended_at < ?")) {
                Database.setInstant(ps, 1, since);
                Database.setInstant(ps, 2, until);
                TreeSet<String> names = new TreeSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return List.copyOf(names);
            }
        });
    }

    public RunStats compute(StatsQuery query) {
        if (query.scripts() != null && query.scripts().isEmpty()) {
            return new RunStats(query.since(), query.until(), query.bucket(), emptyBuckets(query, Map.of()), List.of());
        }
        return db.read(c -> {
            Map<Instant, RunStats.BucketStats> found = buckets(c, query);
            List<RunStats.ScriptStats> scripts = scripts(c, query);
            return new RunStats(query.since(), query.until(), query.bucket(), emptyBuckets(query, found), scripts);
        });
    }

    /** Every bucket of the window in order, the found ones in their places. */
    private static List<RunStats.BucketStats> emptyBuckets(StatsQuery query, Map<Instant, RunStats.BucketStats> found) {
        List<RunStats.BucketStats> all = new ArrayList<>();
        Duration width = query.bucket().width();
        for (Instant at = query.since(); at.isBefore(query.until()); at = at.plus(width)) {
            RunStats.BucketStats bucket = found.get(at);
            all.add(bucket != null ? bucket : new RunStats.BucketStats(at, zeroCounts(), null, null));
        }
        return all;
    }

    private static Map<RunState, Long> zeroCounts() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        FINAL.forEach(s -> counts.put(s, 0L));
        return counts;
    }

    private static Map<Instant, RunStats.BucketStats> buckets(Connection c, StatsQuery query) throws SQLException {
        long seconds = query.bucket().width().toSeconds();
        // The bucket width is a literal from the enum: as a parameter PostgreSQL could not type the division.
        String bucketOf = "FLOOR(EXTRACT(EPOCH FROM ended_at) / " + seconds + ")";
        StringBuilder sql = new StringBuilder("SELECT ").append(bucketOf).append(" AS bucket");
        for (RunState state : FINAL) {
            sql.append(", SUM(CASE WHEN state = '").append(state.name()).append("' THEN 1 ELSE 0 END)");
        }
        sql.append(", PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ").append(DURATION).append(")")
                .append(", PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY ").append(DURATION).append(")")
                .append(" FROM runs WHERE ended_at >= ? AND ended_at < ?").append(scriptFilter(query))
                .append(" GROUP BY ").append(bucketOf);
        Map<Instant, RunStats.BucketStats> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bindWindow(ps, query);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant start = Instant.ofEpochSecond(rs.getLong(1) * seconds);
                    Map<RunState, Long> counts = new EnumMap<>(RunState.class);
                    for (int i = 0; i < FINAL.size(); i++) {
                        counts.put(FINAL.get(i), rs.getLong(2 + i));
                    }
                    found.put(start, new RunStats.BucketStats(start, counts, millis(rs, 2 + FINAL.size()),
                            millis(rs, 3 + FINAL.size())));
                }
            }
        }
        return found;
    }

    private static List<RunStats.ScriptStats> scripts(Connection c, StatsQuery query) throws SQLException {
        Map<String, long[]> totals = new TreeMap<>();
        if (query.scripts() != null) {
            query.scripts().forEach(name -> totals.put(name, new long[2]));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT script, COUNT(*), SUM(CASE WHEN state = 'SUCCEEDED' "
                + "THEN 1 ELSE 0 END) FROM runs WHERE ended_at >= ? AND ended_at < ?" + scriptFilter(query)
                + " GROUP BY script")) {
            bindWindow(ps, query);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    totals.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        List<RunStats.ScriptStats> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state, started_at, ended_at FROM runs "
                + "WHERE script = ? ORDER BY id DESC LIMIT ?")) {
            for (Map.Entry<String, long[]> e : totals.entrySet()) {
                List<RunStats.RecentRun> recent = new ArrayList<>();
                if (query.recent() > 0) {
                    // One seek per script on runs_script_id: a window function over every run would read them all.
                    ps.setString(1, e.getKey());
                    ps.setInt(2, query.recent());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Instant started = Database.getInstant(rs, "started_at");
                            Instant ended = Database.getInstant(rs, "ended_at");
                            Long ms = started != null && ended != null ? Duration.between(started, ended).toMillis() : null;
                            recent.add(new RunStats.RecentRun(rs.getString("id"), RunState.valueOf(rs.getString("state")),
                                    ms, started, ended));
                        }
                    }
                }
                out.add(new RunStats.ScriptStats(e.getKey(), e.getValue()[0], e.getValue()[1], List.copyOf(recent)));
            }
        }
        return out;
    }

    private static String scriptFilter(StatsQuery query) {
        if (query.scripts() == null) {
            return "";
        }
        return " AND script IN (" + query.scripts().stream().map(s -> "?").collect(Collectors.joining(", ")) + ")";
    }

    private static void bindWindow(PreparedStatement ps, StatsQuery query) throws SQLException {
        Database.setInstant(ps, 1, query.since());
        Database.setInstant(ps, 2, query.until());
        if (query.scripts() != null) {
            int i = 3;
            for (String name : new TreeSet<>(query.scripts())) {
                ps.setString(i++, name);
            }
        }
    }

    /** A percentile in seconds (an exact decimal) as whole milliseconds, rounded half up; null stays null. */
    private static Long millis(ResultSet rs, int column) throws SQLException {
        java.math.BigDecimal seconds = rs.getBigDecimal(column);
        return seconds == null ? null : seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }
}
