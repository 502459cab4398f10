package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token as the store describes it: never the token itself, which only its creator ever sees.
 *
 * @param expiresAt  when it stops working; {@code null} for never
 * @param lastUsedAt when it last authenticated a request, to within {@link TokenStore}'s write interval in the
 *                   store and exactly in the primary that saw it; {@code null} for never
 * @param scripts    the glob of script names it is limited to ({@code deploy/*}); {@code null} for every script
 * @param nodes      the node selector it is limited to invoking on ({@code env=lab}); {@code null} for every node
 */
public record TokenInfo(String name, Role role, Instant createdAt, String createdBy, Instant expiresAt,
                        Instant lastUsedAt, String scripts, String nodes) {

    /** An unscoped token that never expires and was never used. */
    public TokenInfo(String name, Role role, Instant createdAt, String createdBy) {
        this(name, role, createdAt, createdBy, null, null, null, null);
    }

    /** Whether it has stopped working by {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether it is limited to some scripts or nodes. */
    public boolean scoped() {
        return scripts != null || nodes != null;
    }

    TokenInfo withLastUsed(Instant lastUsed) {
        return new TokenInfo(name, role, createdAt, createdBy, expiresAt, lastUsed, scripts, nodes);
    }

    /** {@code name, role, createdAt, createdBy, expiresAt, lastUsedAt, scripts, nodes}, as the API shows it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("role", role.key());
        map.put("createdAt", createdAt.toString());
        map.put("createdBy", createdBy);
        map.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        map.put("lastUsedAt", lastUsedAt == null ? null : lastUsedAt.toString());
        map.put("scripts", scripts);
        map.put("nodes", nodes);
        return map;
    }
}
