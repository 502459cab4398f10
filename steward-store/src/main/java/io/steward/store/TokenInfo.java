package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A token as the store describes it: never the token itself, which only its creator ever sees. */
public record TokenInfo(String name, Role role, Instant createdAt, String createdBy) {

    /** {@code name, role, createdAt, createdBy}, as the API shows it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("role", role.key());
        map.put("createdAt", createdAt.toString());
        map.put("createdBy", createdBy);
        return map;
    }
}
