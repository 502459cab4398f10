package io.steward.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Script policies (concurrency limit, default retry policy) and retry chains. A chain moves RUNNING → WAITING →
 * RUNNING … → DONE, each step an update guarded by the state and attempt it expects: whoever loses a race (a timer
 * and a restart, two primaries on one PostgreSQL) sees {@code false} and does nothing, so each attempt starts once.
 */
public final class PolicyStore {
    private final Database db;

    PolicyStore(Database db) {
        this.db = db;
    }

    // ---- script policies

    public Optional<ScriptPolicy> scriptPolicy(String script) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM script_policies WHERE script = ?")) {
                ps.setString(1, script);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(scriptPolicy(rs)) : Optional.empty();
                }
            }
        });
    }

    public List<ScriptPolicy> scriptPolicies() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM script_policies ORDER BY script");
                 ResultSet rs = ps.executeQuery()) {
                List<ScriptPolicy> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(scriptPolicy(rs));
                }
                return all;
            }
        });
    }

    /** Sets (replaces) a script's policy. */
    public void putScriptPolicy(ScriptPolicy policy) {
        ScriptStore.checkActor("updater", policy.updatedBy());
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM script_policies WHERE script = ?")) {
                delete.setString(1, policy.script());
                delete.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO script_policies (script, max_concurrent, "
                    + "when_busy, retry_attempts, retry_backoff_ms, retry_factor, retry_max_backoff_ms, updated_at, "
                    + "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                RetryPolicy retry = policy.retry();
                ps.setString(1, policy.script());
                Database.setNullableInt(ps, 2, policy.maxConcurrent());
                ps.setString(3, policy.whenBusy().name());
                Database.setNullableInt(ps, 4, retry == null ? null : retry.attempts());
                setNullableLong(ps, 5, retry == null ? null : retry.backoff().toMillis());
                if (retry == null) {
                    ps.setNull(6, Types.DOUBLE);
                } else {
                    ps.setDouble(6, retry.factor());
                }
                setNullableLong(ps, 7, retry == null || retry.maxBackoff() == null ? null : retry.maxBackoff().toMillis());
                Database.setInstant(ps, 8, policy.updatedAt() != null ? policy.updatedAt() : Database.now());
                ps.setString(9, policy.updatedBy());
                return ps.executeUpdate();
            }
        });
    }

    /** Removes a script's policy; {@code false} when it had none. */
    public boolean clearScriptPolicy(String script) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM script_policies WHERE script = ?")) {
                ps.setString(1, script);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static ScriptPolicy scriptPolicy(ResultSet rs) throws SQLException {
        RetryPolicy retry = null;
        int attempts = rs.getInt("retry_attempts");
        if (!rs.wasNull()) {
            retry = retryPolicy(attempts, rs.getLong("retry_backoff_ms"), rs.getDouble("retry_factor"),
                    nullableLong(rs, "retry_max_backoff_ms"));
        }
        int max = rs.getInt("max_concurrent");
        Integer maxConcurrent = rs.wasNull() ? null : max;
        return new ScriptPolicy(rs.getString("script"), maxConcurrent, WhenBusy.valueOf(rs.getString("when_busy")),
                retry, Database.getInstant(rs, "updated_at"), rs.getString("updated_by"));
    }

    // ---- retry chains

    /** Records a new chain (RUNNING, attempt 1) and its first attempt. */
    public void startChain(RetryChain chain) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO retry_chains (first_run, script, version, args, "
                    + "timeout_ms, invoker, attempts, backoff_ms, factor, max_backoff_ms, attempt, current_run, state, "
                    + "due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                RetryPolicy p = chain.policy();
                ps.setString(1, chain.firstRun());
                ps.setString(2, chain.script());
                ps.setInt(3, chain.version());
                ps.setString(4, Json.write(chain.args()));
                setNullableLong(ps, 5, chain.timeoutMs());
                ps.setString(6, chain.invoker());
                ps.setInt(7, p.attempts());
                ps.setLong(8, p.backoff().toMillis());
                ps.setDouble(9, p.factor());
                setNullableLong(ps, 10, p.maxBackoff() == null ? null : p.maxBackoff().toMillis());
                ps.setInt(11, chain.attempt());
                ps.setString(12, chain.currentRun());
                ps.setString(13, chain.state().name());
                Database.setInstant(ps, 14, chain.dueAt());
                Database.setInstant(ps, 15, Database.now());
                ps.executeUpdate();
            }
            insertAttempt(c, chain.currentRun(), chain.firstRun(), chain.attempt());
            return null;
        });
    }

    /** RUNNING at {@code attempt} → WAITING for the next attempt, due at {@code dueAt}; {@code false} if not so. */
    public boolean scheduleNext(String firstRun, int attempt, Instant dueAt) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE retry_chains SET state = 'WAITING', due_at = ?, "
                    + "updated_at = ? WHERE first_run = ? AND attempt = ? AND state = 'RUNNING'")) {
                Database.setInstant(ps, 1, dueAt);
                Database.setInstant(ps, 2, Database.now());
                ps.setString(3, firstRun);
                ps.setInt(4, attempt);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * WAITING after {@code attempt} → RUNNING at {@code attempt + 1} as run {@code runId}, with its attempt row, in
     * one transaction; {@code false} when another caller took this step first (then nothing changed).
     */
    public boolean startAttempt(String firstRun, int attempt, String runId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE retry_chains SET state = 'RUNNING', due_at = NULL, "
                    + "attempt = ?, current_run = ?, updated_at = ? WHERE first_run = ? AND attempt = ? "
                    + "AND state = 'WAITING'")) {
                ps.setInt(1, attempt + 1);
                ps.setString(2, runId);
                Database.setInstant(ps, 3, Database.now());
                ps.setString(4, firstRun);
                ps.setInt(5, attempt);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            insertAttempt(c, runId, firstRun, attempt + 1);
            return true;
        });
    }

    /** RUNNING at {@code attempt} → DONE; {@code false} when the chain is not there. */
    public boolean finishChain(String firstRun, int attempt) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE retry_chains SET state = 'DONE', due_at = NULL, "
                    + "updated_at = ? WHERE first_run = ? AND attempt = ? AND state = 'RUNNING'")) {
                Database.setInstant(ps, 1, Database.now());
                ps.setString(2, firstRun);
                ps.setInt(3, attempt);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Removes a chain whose first run could not be started (bad input): as if it had never been asked for. */
    public void forgetChain(String firstRun) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM retry_attempts WHERE first_run = ?")) {
                ps.setString(1, firstRun);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM retry_chains WHERE first_run = ?")) {
                ps.setString(1, firstRun);
                return ps.executeUpdate();
            }
        });
    }

    public Optional<RetryChain> chain(String firstRun) {
        List<RetryChain> found = chains("SELECT * FROM retry_chains WHERE first_run = ?", firstRun);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Every chain not DONE: what a primary picks up again when it starts. */
    public List<RetryChain> openChains() {
        return chains("SELECT * FROM retry_chains WHERE state <> 'DONE' ORDER BY first_run", null);
    }

    /** The attempt a run is, if it belongs to a retry chain. */
    public Optional<RetryAttempt> attemptOf(String runId) {
        List<RetryAttempt> found = attempts("SELECT a.run_id, a.first_run, a.attempt, c.attempts FROM retry_attempts a "
                + "JOIN retry_chains c ON c.first_run = a.first_run WHERE a.run_id = ?", runId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The attempts of the chain started by {@code firstRun}, first first; empty when it has none. */
    public List<RetryAttempt> attempts(String firstRun) {
        return attempts("SELECT a.run_id, a.first_run, a.attempt, c.attempts FROM retry_attempts a "
                + "JOIN retry_chains c ON c.first_run = a.first_run WHERE a.first_run = ? ORDER BY a.attempt", firstRun);
    }

    private List<RetryAttempt> attempts(String sql, String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    List<RetryAttempt> all = new ArrayList<>();
                    while (rs.next()) {
                        all.add(new RetryAttempt(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)));
                    }
                    return all;
                }
            }
        });
    }

    private List<RetryChain> chains(String sql, String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (key != null) {
                    ps.setString(1, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<RetryChain> all = new ArrayList<>();
                    while (rs.next()) {
                        RetryPolicy policy = retryPolicy(rs.getInt("attempts"), rs.getLong("backoff_ms"),
                                rs.getDouble("factor"), nullableLong(rs, "max_backoff_ms"));
                        all.add(new RetryChain(rs.getString("first_run"), rs.getString("script"), rs.getInt("version"),
                                Json.readMap(rs.getString("args")), nullableLong(rs, "timeout_ms"),
                                rs.getString("invoker"), policy, rs.getInt("attempt"), rs.getString("current_run"),
                                RetryChain.State.valueOf(rs.getString("state")), Database.getInstant(rs, "due_at")));
                    }
                    return all;
                }
            }
        });
    }

    private static void insertAttempt(Connection c, String runId, String firstRun, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO retry_attempts (run_id, first_run, attempt) "
                + "VALUES (?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setString(2, firstRun);
            ps.setInt(3, attempt);
            ps.executeUpdate();
        }
    }

    private static RetryPolicy retryPolicy(int attempts, long backoffMs, double factor, Long maxBackoffMs) {
        return new RetryPolicy(attempts, Duration.ofMillis(backoffMs), factor,
                maxBackoffMs == null ? null : Duration.ofMillis(maxBackoffMs));
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
