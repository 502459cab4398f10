package io.steward.store;

import io.steward.engine.ScriptNames;
import io.steward.engine.ScriptNotFoundException;
import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The script store: every version of every script, kept for good (claim 42). Names are relative paths such as
 * {@code deploy/web.groovy} and are checked by {@link ScriptNames}; bad names, sources over {@link #MAX_SOURCE_BYTES}
 * and sources with NUL characters are refused with an {@link IllegalArgumentException} before anything changes.
 *
 * <p>Pushing the source of the latest live version again makes no new version. Deleting is soft: it marks the
 * latest version deleted, so the script leaves {@link #list()} and {@link #latest} but every version stays readable
 * through {@link #version}; a later push revives the name with a new version. Version numbers count from 1 per name;
 * two concurrent pushes of one name cannot take the same number, because (name, version) is the primary key and
 * the loser of the race retries with the next number.
 *
 * <p>As a {@link ScriptSource} this is what {@code include(…)} and invoke requests read. The latest live version of
 * each name is cached, since invokes ask for it on every run; a push or delete through this object drops the entry
 * (the primary is the store's only writer).
 */
public final class ScriptStore implements ScriptSource {
    /** 1 MiB of UTF-8. */
    public static final int MAX_SOURCE_BYTES = 1 << 20;
    private static final int MAX_PUSH_ATTEMPTS = 20;
    private static final Object[] PUSH_TURNS = turns(64);

    private static Object[] turns(int n) {
        Object[] locks = new Object[n];
        java.util.Arrays.setAll(locks, i -> new Object());
        return locks;
    }
    private static final int CACHE_ENTRIES = 1024;
    private static final int CACHE_MAX_SOURCE = 64 * 1024;
    private static final String COLUMNS =
            "name, version, language, sha256, author, created_at, deleted_at, deleted_by";

    private final Database db;
    private final Map<String, String> languages;
    private final Set<String> extensions;
    private final Map<String, StoredScript> latestCache = new ConcurrentHashMap<>();
    /** Bumped by every change, so that a read that raced a change does not cache what it read. */
    private final AtomicLong generation = new AtomicLong();

    ScriptStore(Database db, Map<String, String> languages) {
        this.db = db;
        this.languages = Map.copyOf(languages);
        this.extensions = Set.copyOf(languages.keySet());
    }

    /** The extensions (with the dot) of the scripts this store accepts. */
    public Set<String> extensions() {
        return extensions;
    }

    /**
     * Stores {@code source} as the next version of {@code name}, unless it equals the latest live version.
     *
     * @throws IllegalArgumentException for a bad name, a missing author, a source over 1 MiB or one with NUL
     */
    public PushResult push(String name, String source, String author) {
        ScriptNames.check(name, extensions);
        checkSource(name, source);
        checkActor("author", author);
        String language = languages.get(ScriptText.extensionOf(name));
        String sha256 = ScriptText.sha256(source);
        // Pushes of one name in this primary take turns: racing for the next version number, a push could lose every
        // one of its attempts to the others (seen with six threads on PostgreSQL). The retry stays for other writers.
        synchronized (PUSH_TURNS[Math.floorMod(name.hashCode(), PUSH_TURNS.length)]) {
            return pushTakingTurns(name, language, source, sha256, author);
        }
    }

    private PushResult pushTakingTurns(String name, String language, String source, String sha256, String author) {
        for (int attempt = 1; ; attempt++) {
            try {
                PushResult result = db.inTransactionOrThrow(c -> pushOnce(c, name, language, source, sha256, author));
                if (result.created()) {
                    changed(name);
                }
                return result;
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e) || attempt >= MAX_PUSH_ATTEMPTS) {
                    throw new StoreException(e);
                }
                // Another push took this version number first: read the new latest and try again.
            }
        }
    }

    private PushResult pushOnce(Connection c, String name, String language, String source, String sha256,
                                String author) throws SQLException {
        ScriptInfo latest = latestInfo(c, name);
        if (latest != null && !latest.deleted() && latest.sha256().equals(sha256)) {
            return new PushResult(latest, false);
        }
        int version = latest == null ? 1 : latest.version() + 1;
        ScriptInfo info = new ScriptInfo(name, version, language, sha256, author, Database.now(), null, null);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO scripts (name, version, language, source, "
                + "sha256, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            ps.setString(3, language);
            ps.setString(4, source);
            ps.setString(5, sha256);
            ps.setString(6, author);
            Database.setInstant(ps, 7, info.createdAt());
            ps.executeUpdate();
        }
        return new PushResult(info, true);
    }

    /**
     * The latest live version.
     *
     * @throws ScriptNotFoundException when there is no such script or it was deleted
     */
    public StoredScript latest(String name) {
        ScriptNames.check(name, extensions);
        StoredScript cached = latestCache.get(name);
        if (cached != null) {
            return cached;
        }
        long seen = generation.get();
        StoredScript script = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", source FROM scripts "
                    + "WHERE name = ? ORDER BY version DESC LIMIT 1")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new StoredScript(info(rs), rs.getString("source")) : null;
                }
            }
        });
        if (script == null) {
            throw new ScriptNotFoundException(name);
        }
        if (script.info().deleted()) {
            throw new ScriptNotFoundException(name, "script '" + name + "' was deleted (at version "
                    + script.version() + "): push it again to revive it, or ask for a version");
        }
        if (script.source().length() <= CACHE_MAX_SOURCE && generation.get() == seen) {
            if (latestCache.size() >= CACHE_ENTRIES) {
                latestCache.clear();
            }
            latestCache.put(name, script);
        }
        return script;
    }

    /**
     * One version, deleted or not; {@code version <= 0} means the latest live one.
     *
     * @throws ScriptNotFoundException when there is no such version
     */
    public StoredScript version(String name, int version) {
        if (version <= 0) {
            return latest(name);
        }
        ScriptNames.check(name, extensions);
        StoredScript script = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", source FROM scripts "
                    + "WHERE name = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new StoredScript(info(rs), rs.getString("source")) : null;
                }
            }
        });
        if (script == null) {
            throw new ScriptNotFoundException(name, "script '" + name + "' has no version " + version);
        }
        return script;
    }

    /** Every live script at its latest version, by name. */
    public List<ScriptInfo> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scripts s "
                    + "WHERE deleted_at IS NULL AND version = (SELECT MAX(version) FROM scripts t WHERE t.name = s.name) "
                    + "ORDER BY name")) {
                return infos(ps);
            }
        });
    }

    /**
     * Every version of a script, oldest first, deleted ones included.
     *
     * @throws ScriptNotFoundException when the name was never pushed
     */
    public List<ScriptInfo> history(String name) {
        ScriptNames.check(name, extensions);
        List<ScriptInfo> versions = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scripts WHERE name = ? "
                    + "ORDER BY version")) {
                ps.setString(1, name);
                return infos(ps);
            }
        });
        if (versions.isEmpty()) {
            throw new ScriptNotFoundException(name);
        }
        return versions;
    }

    /**
     * Deletes a script softly: its latest version is marked deleted by {@code actor}. Returns that version.
     *
     * @throws ScriptNotFoundException when there is no live script of that name
     */
    public ScriptInfo delete(String name, String actor) {
        ScriptNames.check(name, extensions);
        checkActor("actor", actor);
        ScriptInfo deleted = db.inTransaction(c -> {
            ScriptInfo latest = latestInfo(c, name);
            if (latest == null || latest.deleted()) {
                return null;
            }
            ScriptInfo marked = new ScriptInfo(latest.name(), latest.version(), latest.language(), latest.sha256(),
                    latest.author(), latest.createdAt(), Database.now(), actor);
            try (PreparedStatement ps = c.prepareStatement("UPDATE scripts SET deleted_at = ?, deleted_by = ? "
                    + "WHERE name = ? AND version = ? AND deleted_at IS NULL")) {
                Database.setInstant(ps, 1, marked.deletedAt());
                ps.setString(2, actor);
                ps.setString(3, name);
                ps.setInt(4, latest.version());
                // A concurrent delete got there first: that one counts, this one found nothing live.
                return ps.executeUpdate() == 1 ? marked : null;
            }
        });
        if (deleted == null) {
            throw new ScriptNotFoundException(name);
        }
        changed(name);
        return deleted;
    }

    // ---- ScriptSource ----

    @Override
    public ScriptText load(String name) {
        return latest(name).text();
    }

    @Override
    public ScriptText load(String name, int version) {
        return version(name, version).text();
    }

    // ---- helpers ----

    private void changed(String name) {
        generation.incrementAndGet();
        latestCache.remove(name);
    }

    private static ScriptInfo latestInfo(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scripts WHERE name = ? "
                + "ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? info(rs) : null;
            }
        }
    }

    private static List<ScriptInfo> infos(PreparedStatement ps) throws SQLException {
        List<ScriptInfo> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(info(rs));
            }
        }
        return list;
    }

    private static ScriptInfo info(ResultSet rs) throws SQLException {
        return new ScriptInfo(rs.getString("name"), rs.getInt("version"), rs.getString("language"),
                rs.getString("sha256"), rs.getString("author"), Database.getInstant(rs, "created_at"),
                Database.getInstant(rs, "deleted_at"), rs.getString("deleted_by"));
    }

    private static void checkSource(String name, String source) {
        if (source == null) {
            throw new IllegalArgumentException("script '" + name + "' has no source");
        }
        long bytes = Utf8.length(source);
        if (bytes > MAX_SOURCE_BYTES) {
            throw new IllegalArgumentException("script '" + name + "' is " + bytes + " bytes of UTF-8: the limit is "
                    + MAX_SOURCE_BYTES + " bytes (1 MiB)");
        }
        int nul = source.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("script '" + name + "' contains a NUL character at position " + nul
                    + ": sources are text");
        }
    }

    static void checkActor(String what, String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is required");
        }
        if (actor.length() > 255) {
            throw new IllegalArgumentException("the " + what + " is longer than 255 characters");
        }
    }
}
