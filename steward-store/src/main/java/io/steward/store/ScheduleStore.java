package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cron schedules and their firing state. The scheduler (io.steward.schedule) decides when slots are due; this class
 * makes its decisions durable and exclusive:
 *
 * <ul>
 *   <li>{@link #claim} moves a schedule past its due slots with a compare-and-set on {@code next_slot}, in the same
 *       transaction that records the run id of the slot it is about to run, and commits that before the run is
 *       started. A slot is therefore claimed at most once, across restarts and racing threads alike. What it does
 *       not promise: that the claimed run starts. A crash between the claim and the start loses that slot, and the
 *       next {@link #recoverClaims} reports it as missed instead of running it twice.</li>
 *   <li>{@link #record} says whether each claimed run started; one that could not start counts as missed.</li>
 * </ul>
 *
 * Both take many schedules per transaction, so that thousands of schedules due in the same second cost a few
 * commits, not thousands.
 */
public final class ScheduleStore {
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit: no path, no control character. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String COLUMNS = "name, cron, time_zone, script, selector, args, grace_ms, paused, next_slot, "
            + "last_slot, last_run, last_outcome, last_error, fired, missed, last_missed, created_at, created_by";

    private final Database db;

    ScheduleStore(Database db) {
        this.db = db;
    }

    /**
     * Checks a schedule name and returns it.
     *
     * @throws IllegalArgumentException naming what is wrong and what a name may be
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a schedule name is required, such as nightly-backup");
        }
        if (!NAME.matcher(name).matches()) {
            String shown = name.codePoints().mapToObj(cp -> Character.isISOControl(cp)
                    ? String.format("\\u%04x", cp) : Character.toString(cp)).reduce("", String::concat);
            throw new IllegalArgumentException("schedule name '" + shown + "' is not valid: use 1 to 64 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit (no '/', no control characters)");
        }
        return name;
    }

    /**
     * Stores a new schedule as given (its counters normally 0).
     *
     * @throws StoreConflictException when a schedule of that name exists
     */
    public ScheduleRecord create(ScheduleRecord s) {
        checkName(s.name());
        ScriptStore.checkActor("creator", s.createdBy());
        try {
            db.inTransactionOrThrow(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (" + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, s.name());
                    ps.setString(2, s.cron());
                    ps.setString(3, s.timeZone());
                    ps.setString(4, s.script());
                    ps.setString(5, s.on());
                    ps.setString(6, Json.write(s.args()));
                    ps.setLong(7, s.grace().toMillis());
                    ps.setBoolean(8, s.paused());
                    Database.setInstant(ps, 9, s.nextSlot());
                    Database.setInstant(ps, 10, s.lastSlot());
                    ps.setString(11, s.lastRun());
                    ps.setString(12, s.lastOutcome());
                    ps.setString(13, s.lastError());
                    ps.setLong(14, s.fired());
                    ps.setLong(15, s.missed());
                    Database.setInstant(ps, 16, s.lastMissed());
                    Database.setInstant(ps, 17, s.createdAt());
                    ps.setString(18, s.createdBy());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                throw new StoreConflictException("a schedule named '" + s.name() + "' already exists: remove it "
                        + "first (steward schedule rm " + s.name() + ") or choose another name");
            }
            throw new StoreException(e);
        }
        return get(s.name()).orElseThrow();
    }

    public Optional<ScheduleRecord> get(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM schedules WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every schedule, by name. */
    public List<ScheduleRecord> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM schedules ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<ScheduleRecord> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(record(rs));
                }
                return list;
            }
        });
    }

    /** Removes a schedule; {@code false} when there was none of that name. */
    public boolean delete(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Pauses a schedule (pausing a paused one changes nothing): it has no next slot until resumed, so no claim can
     * match it. Empty when there is none of that name.
     */
    public Optional<ScheduleRecord> pause(String name) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET paused = TRUE, next_slot = NULL WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate();
            }
        });
        return get(name);
    }

    /**
     * Resumes a paused schedule from {@code next}, the first slot after now: the slots it slept through are neither
     * run nor counted as missed. A schedule that is not paused is left as it is. Empty when there is none of that name.
     */
    public Optional<ScheduleRecord> resume(String name, java.time.Instant next) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET paused = FALSE, next_slot = ? "
                    + "WHERE name = ? AND paused = TRUE")) {
                Database.setInstant(ps, 1, next);
                ps.setString(2, name);
                return ps.executeUpdate();
            }
        });
        return get(name);
    }

    /**
     * Applies the claims whose schedule still stands where the scheduler saw it (same {@code next_slot}, not paused,
     * not removed), all in one transaction, and returns those that were applied. Only a returned claim may start
     * its run.
     */
    public List<ScheduleClaim> claim(List<ScheduleClaim> claims) {
        if (claims.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(c -> {
            List<ScheduleClaim> fires = claims.stream().filter(k -> k.slot() != null).toList();
            List<ScheduleClaim> misses = claims.stream().filter(k -> k.slot() == null).toList();
            List<ScheduleClaim> won = new ArrayList<>(claims.size());
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET next_slot = ?, last_slot = ?, "
                    + "last_run = ?, last_outcome = 'CLAIMED', last_error = NULL, missed = missed + ?, "
                    + "last_missed = COALESCE(?, last_missed) WHERE name = ? AND next_slot = ? AND paused = FALSE")) {
                for (ScheduleClaim k : fires) {
                    Database.setInstant(ps, 1, k.next());
                    Database.setInstant(ps, 2, k.slot());
                    ps.setString(3, k.runId());
                    ps.setLong(4, k.missed());
                    Database.setInstant(ps, 5, k.lastMissed());
                    ps.setString(6, k.name());
                    Database.setInstant(ps, 7, k.expected());
                    ps.addBatch();
                }
                collect(ps, fires, won);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET next_slot = ?, missed = missed + ?, "
                    + "last_missed = ? WHERE name = ? AND next_slot = ? AND paused = FALSE")) {
                for (ScheduleClaim k : misses) {
                    Database.setInstant(ps, 1, k.next());
                    ps.setLong(2, k.missed());
                    Database.setInstant(ps, 3, k.lastMissed());
                    ps.setString(4, k.name());
                    Database.setInstant(ps, 5, k.expected());
                    ps.addBatch();
                }
                collect(ps, misses, won);
            }
            return won;
        });
    }

    private static void collect(PreparedStatement ps, List<ScheduleClaim> batch, List<ScheduleClaim> won)
            throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                won.add(batch.get(i));
            }
        }
    }

    /** Records whether the runs of claimed slots started, in one transaction. */
    public void record(List<ScheduleOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement started = c.prepareStatement("UPDATE schedules SET last_outcome = 'STARTED', "
                    + "fired = fired + 1 WHERE name = ? AND last_run = ? AND last_outcome = 'CLAIMED'");
                 PreparedStatement failed = c.prepareStatement("UPDATE schedules SET last_outcome = 'FAILED', "
                         + "last_error = ?, missed = missed + 1, last_missed = ? "
                         + "WHERE name = ? AND last_run = ? AND last_outcome = 'CLAIMED'")) {
                boolean anyStarted = false;
                boolean anyFailed = false;
                for (ScheduleOutcome o : outcomes) {
                    if (o.error() == null) {
                        started.setString(1, o.name());
                        started.setString(2, o.runId());
                        started.addBatch();
                        anyStarted = true;
                    } else {
                        failed.setString(1, o.error());
                        Database.setInstant(failed, 2, o.slot());
                        failed.setString(3, o.name());
                        failed.setString(4, o.runId());
                        failed.addBatch();
                        anyFailed = true;
                    }
                }
                if (anyStarted) {
                    started.executeBatch();
                }
                if (anyFailed) {
                    failed.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Settles the claims a previous process left unsettled (it stopped between claiming a slot and recording whether
     * its run started): a claim whose run is in the runs table started; one whose run is not is missed. Returns
     * the missed ones, for the audit log. Call at start-up, before the scheduler claims anything.
     */
    public List<ScheduleOutcome> recoverClaims() {
        List<ScheduleOutcome> outcomes = db.read(c -> {
            List<ScheduleOutcome> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.name, s.last_run, s.last_slot, r.id FROM schedules s "
                    + "LEFT JOIN runs r ON r.id = s.last_run WHERE s.last_outcome = 'CLAIMED'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean stored = rs.getString(4) != null;
                    list.add(new ScheduleOutcome(rs.getString(1), rs.getString(2), Database.getInstant(rs, "last_slot"),
                            stored ? null : "the primary stopped after claiming this slot and before its run was stored"));
                }
            }
            return list;
        });
        record(outcomes);
        return outcomes.stream().filter(o -> o.error() != null).toList();
    }

    private static ScheduleRecord record(ResultSet rs) throws SQLException {
        return new ScheduleRecord(rs.getString("name"), rs.getString("cron"), rs.getString("time_zone"),
                rs.getString("script"), rs.getString("selector"), Json.readMap(rs.getString("args")),
                Duration.ofMillis(rs.getLong("grace_ms")), rs.getBoolean("paused"),
                Database.getInstant(rs, "next_slot"), Database.getInstant(rs, "last_slot"), rs.getString("last_run"),
                rs.getString("last_outcome"), rs.getString("last_error"), rs.getLong("fired"), rs.getLong("missed"),
                Database.getInstant(rs, "last_missed"), Database.getInstant(rs, "created_at"),
                rs.getString("created_by"));
    }
}
