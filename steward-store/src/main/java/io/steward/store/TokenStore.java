package io.steward.store;

import io.steward.engine.ScriptText;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens. A token is {@code stw_} followed by 32 random bytes in base64url; the store keeps only its SHA-256,
 * so a copy of the database hands out no usable token. A fast hash is right here (unlike for passwords): 256 random
 * bits cannot be guessed, however fast guesses are checked, and it lets {@link #authenticate} find a token by its
 * hash with one indexed lookup.
 */
public final class TokenStore {
    public static final String PREFIX = "stw_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    TokenStore(Database db) {
        this.db = db;
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
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role, created_at, created_by FROM tokens "
                    + "WHERE token_hash = ?")) {
                ps.setString(1, hash(token));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(info(rs)) : Optional.empty();
                }
            }
        });
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
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
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
