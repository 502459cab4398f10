package io.steward.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node as last reported: its info ({@code NodeInfo.toMap()}), its state ({@code online}, {@code offline}, …)
 * and when it was last heard from.
 */
public record NodeRecord(String name, String state, Map<String, Object> info, Instant lastSeen) {

    /** The node's labels, from its info. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> labels() {
        return info.get("labels") instanceof Map<?, ?> labels ? (Map<String, Object>) labels : Map.of();
    }

    /** {@code name, state, labels, lastSeen, info}, as the API shows it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("state", state);
        map.put("labels", labels());
        map.put("lastSeen", lastSeen.toString());
        map.put("info", info);
        return map;
    }
}
