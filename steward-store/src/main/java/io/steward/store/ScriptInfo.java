package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One version of a stored script without its source: what lists and histories show.
 *
 * @param deletedAt when the script was deleted at this version, or {@code null}
 * @param deletedBy who deleted it, or {@code null}
 */
public record ScriptInfo(String name, int version, String language, String sha256, String author, Instant createdAt,
                         Instant deletedAt, String deletedBy) {

    public boolean deleted() {
        return deletedAt != null;
    }

    /** The JSON form of the API: {@code name, version, language, sha256, author, createdAt[, deletedAt, deletedBy]}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("version", (long) version);
        map.put("language", language);
        map.put("sha256", sha256);
        map.put("author", author);
        map.put("createdAt", createdAt.toString());
        if (deletedAt != null) {
            map.put("deletedAt", deletedAt.toString());
            map.put("deletedBy", deletedBy);
        }
        return map;
    }
}
