package io.steward.store;

import io.steward.engine.ScriptText;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class TokenStore {
    public static final String PREFIX = "stw_";
    /** How long a found token is believed without asking the database again. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
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

    TokenStore(Database db) {
        this(db, DEFAULT_TTL);
    }

    TokenStore(Database db, Duration ttl) {
        this.db = db;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * Creates a token and returns it with its plaintext, which is not kept.
     *
     * @throws IllegalArgumentException  for a bad name or creator
     * @throws StoreConflictException   when a token of that name exists
     */
    public NewToken create(String name, Role role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name + "' is not valid: use 1 to 64 letters, digits, "
                    + "'.', '_', '@' or '-', starting with a letter or digit");
        }
        if (role == null) {
            throw new IllegalArgumentException("a role is required");
        }
        ScriptStore.checkActor("creator", createdBy);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        TokenInfo info = new TokenInfo(name, role, Database.now(), createdBy);
        try {
            db.inTransactionOrThrow(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (name, role, token_hash, "
                        + "created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, role.name());
                    ps.setString(3, hash(token));
                    Database.setInstant(ps, 4, info.createdAt());
                    ps.setString(5, createdBy);
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

    /** The token's name and role, or empty when it is unknown or revoked. */
    public Optional<TokenInfo> authenticate(String token) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role, created_at, created_by FROM tokens "
                    + "WHERE token_hash = ?")) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role, created_at, created_by FROM tokens "
                    + "ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<TokenInfo> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(info(rs));
                }
                return list;
            }
        });
    }

    /** Deletes the token; {@code false} when there was none of that name. It stops working at once. */
    public boolean revoke(String name) {
        try {
            return db.read(c -> {
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
    }

    /** The stored form of a token: hex SHA-256 of its UTF-8. */
    static String hash(String token) {
        return ScriptText.sha256(token);
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        return new TokenInfo(rs.getString("name"), Role.valueOf(rs.getString("role")),
                Database.getInstant(rs, "created_at"), rs.getString("created_by"));
    }
}
