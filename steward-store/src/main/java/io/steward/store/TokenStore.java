package io.steward.store;

import io.steward.engine.ScriptText;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * API tokens. A token is {@code stw_} followed by 32 random bytes in base64url; the store keeps only its SHA-256,
 * so a copy of the database hands out no usable token. A fast hash is right here (unlike for passwords): 256 random
 * bits cannot be guessed, however fast guesses are checked, and it lets {@link #authenticate} find a token by its
 * hash with one indexed lookup.
 *
 * <p>Every API request authenticates, so {@link #authenticate} remembers the tokens it found, by hash, for at most
 * {@link #DEFAULT_TTL}: a hit costs a hash and a map lookup instead of a pooled connection and a query. Only tokens
 * that were found are remembered, so an unknown token is always looked up. A {@link #revoke} drops every remembered
 * token once its delete has committed, so a revoked token is refused from the next request on; the TTL only bounds
 * how long a change made past this object (by hand in the database) goes unseen. Hence every change to the tokens
 * table must go through this class.
 *
 * <p>An expired token is still found, with its {@link TokenInfo#expiresAt}: the caller refuses it and can say why.
 * Expiry is checked by the caller on every request, so it needs no cache eviction. {@link #onRevoke} listeners hear
 * of every revoke once it has committed, so that what a token holds open (event streams, agent links) ends at once.
 *
 * <p>When a token was last used is kept in memory ({@link TokenUses}) and written at most once per
 * {@link #DEFAULT_USE_WRITES} per token, and at {@link #flushUses close}: a request costs no store write.
 */
public final class TokenStore {
    public static final String PREFIX = "stw_";
    /** How long a found token is believed without asking the database again. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    /** How often at most a token's last use is written to the store. */
    public static final Duration DEFAULT_USE_WRITES = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(TokenStore.class.getName());
    private static final int MAX_SCRIPTS = 255;
    private static final int MAX_NODES = 1000;
    private static final String COLUMNS = "name, role, created_at, created_by, expires_at, last_used_at, scripts, nodes";
    private static final int CACHE_ENTRIES = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Found(TokenInfo info, long until) {
    }

    private final Database db;
    private final long ttlNanos;
    private final Map<String, Found> found = new ConcurrentHashMap<>();
    /** Bumped by every revoke, so that a lookup that raced one does not keep what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final TokenUses uses;
    private final AtomicLong useWrites = new AtomicLong();
    private final List<Consumer<String>> revokeListeners = new CopyOnWriteArrayList<>();

    TokenStore(Database db) {
        this(db, DEFAULT_TTL, DEFAULT_USE_WRITES);
    }

    TokenStore(Database db, Duration ttl) {
        this(db, ttl, DEFAULT_USE_WRITES);
    }

    /** @param useWrites how often at most one token's last use is written to the store */
    TokenStore(Database db, Duration ttl, Duration useWrites) {
        this.db = db;
        this.ttlNanos = ttl.toNanos();
        this.uses = new TokenUses(useWrites);
    }

    /**
     * Creates a token and returns it with its plaintext, which is not kept.
     *
     * @throws IllegalArgumentException  for a bad name or creator
     * @throws StoreConflictException   when a token of that name exists
     */
    public NewToken create(String name, Role role, String createdBy) {
        return create(name, role, createdBy, TokenSpec.UNLIMITED);
    }

    /**
     * Creates a token limited by {@code spec} and returns it with its plaintext, which is not kept.
     *
     * @throws IllegalArgumentException  for a bad name or creator, an expiry in the past, or an over-long scope
     * @throws StoreConflictException   when a token of that name exists
     */
    public NewToken create(String name, Role role, String createdBy, TokenSpec spec) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name + "' is not valid: use 1 to 64 letters, digits, "
                    + "'.', '_', '@' or '-', starting with a letter or digit");
        }
        if (role == null) {
            throw new IllegalArgumentException("a role is required");
        }
        ScriptStore.checkActor("creator", createdBy);
        Instant now = Database.now();
        if (spec.expiresAt() != null && !spec.expiresAt().isAfter(now)) {
            throw new IllegalArgumentException("the expiry " + spec.expiresAt() + " is not in the future");
        }
        checkScope("scripts", spec.scripts(), MAX_SCRIPTS);
        checkScope("nodes", spec.nodes(), MAX_NODES);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        TokenInfo info = new TokenInfo(name, role, now, createdBy, Database.stored(spec.expiresAt()), null,
                spec.scripts(), spec.nodes());
        try {
            db.inTransactionOrThrow(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (name, role, token_hash, "
                        + "created_at, created_by, expires_at, scripts, nodes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, role.name());
                    ps.setString(3, hash(token));
                    Database.setInstant(ps, 4, info.createdAt());
                    ps.setString(5, createdBy);
                    Database.setInstant(ps, 6, info.expiresAt());
                    ps.setString(7, info.scripts());
                    ps.setString(8, info.nodes());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                throw new StoreConflictException("a token named '" + name + "' already exists: revoke it first or "
                        + "choose another name");
            }
            throw new StoreException(e);
        }
        return new NewToken(info, token);
    }

    /**
     * The token's name, role, scope and expiry, or empty when it is unknown or revoked. An expired token is found
     * too (the caller refuses it, saying when it expired); a token that has not expired counts as used now.
     */
    public Optional<TokenInfo> authenticate(String token) {
        Optional<TokenInfo> info = find(token);
        info.ifPresent(i -> {
            Instant now = Database.now();
            if (!i.expiredAt(now) && uses.used(i.name(), now)) {
                writeUse(i.name(), now);
            }
        });
        return info;
    }

    private Optional<TokenInfo> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 128) {
            return Optional.empty();
        }
        String hash = hash(token);
        Found hit = found.get(hash);
        long now = System.nanoTime();
        if (hit != null && now - hit.until() < 0) {
            return Optional.of(hit.info());
        }
        long seen = generation.get();
        Optional<TokenInfo> info = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(info(rs)) : Optional.empty();
                }
            }
        });
        if (info.isEmpty()) {
            found.remove(hash);
        } else if (generation.get() == seen) {
            if (found.size() >= CACHE_ENTRIES) {
                found.clear();
            }
            found.put(hash, new Found(info.get(), now + ttlNanos));
            // A revoke that committed after the read above may have cleared the map before this put: check again,
            // so that what it revoked is not remembered.
            if (generation.get() != seen) {
                found.remove(hash);
            }
        }
        return info;
    }

    /** Whether a token of that name exists (it works until revoked). */
    public boolean exists(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tokens WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Every token, by name. */
    public List<TokenInfo> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<TokenInfo> list = new ArrayList<>();
                while (rs.next()) {
                    TokenInfo info = info(rs);
                    Instant seen = uses.last(info.name());
                    list.add(seen != null && (info.lastUsedAt() == null || seen.isAfter(info.lastUsedAt()))
                            ? info.withLastUsed(seen) : info);
                }
                return list;
            }
        });
    }

    /** Deletes the token; {@code false} when there was none of that name. It stops working at once. */
    public boolean revoke(String name) {
        boolean revoked;
        try {
            revoked = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
                    ps.setString(1, name);
                    return ps.executeUpdate() == 1;
                }
            });
        } finally {
            // Only hashes are remembered, not names: forget them all. Revokes are rare.
            generation.incrementAndGet();
            found.clear();
        }
        if (revoked) {
            uses.forget(name);
            for (Consumer<String> listener : revokeListeners) {
                try {
                    listener.accept(name);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a revoke listener failed for token {0}: {1}", name, e.toString());
                }
            }
        }
        return revoked;
    }

    /**
     * Tells {@code listener} the name of every token revoked from now on, after its delete committed, on the
     * revoking thread: so it must only end what the token holds, never block long.
     *
     * @return what stops the telling
     */
    public Runnable onRevoke(Consumer<String> listener) {
        revokeListeners.add(listener);
        return () -> revokeListeners.remove(listener);
    }

    /** How many times a last use has been written to the store (for tests and metrics: not one per request). */
    public long useWrites() {
        return useWrites.get();
    }

    /** Writes every last use the store has not seen yet; the store calls it as it closes. */
    public void flushUses() {
        uses.unwritten().forEach(this::writeUse);
    }

    private void writeUse(String name, Instant at) {
        try {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE tokens SET last_used_at = ? WHERE name = ? "
                        + "AND (last_used_at IS NULL OR last_used_at < ?)")) {
                    Database.setInstant(ps, 1, at);
                    ps.setString(2, name);
                    Database.setInstant(ps, 3, at);
                    return ps.executeUpdate();
                }
            });
            useWrites.incrementAndGet();
            uses.written(name, at);
        } catch (StoreException e) {
            // The request it came with is fine; the time stays in memory and is written with a later use or at close.
            LOG.log(System.Logger.Level.WARNING, "could not record when token {0} was last used: {1}", name, e.getMessage());
        }
    }

    private static void checkScope(String field, String value, int max) {
        if (value != null && (value.isBlank() || value.length() > max)) {
            throw new IllegalArgumentException(field + " must be 1 to " + max + " characters when given");
        }
    }

    /** The stored form of a token: hex SHA-256 of its UTF-8. */
    static String hash(String token) {
        return ScriptText.sha256(token);
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        return new TokenInfo(rs.getString("name"), Role.valueOf(rs.getString("role")),
                Database.getInstant(rs, "created_at"), rs.getString("created_by"), Database.getInstant(rs, "expires_at"),
                Database.getInstant(rs, "last_used_at"), rs.getString("scripts"), rs.getString("nodes"));
    }
}
