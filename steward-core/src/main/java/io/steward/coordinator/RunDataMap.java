package io.steward.coordinator;

import io.steward.engine.DataMap;
import io.steward.engine.JsonValues;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared or private data of a run. Values are checked and copied on the way in. Shared data announces every
 * change as a {@code shared} event, under the map's lock so that the timeline's order is the map's order;
 * private data announces nothing and never appears in a snapshot (claims 13, 39).
 */
final class RunDataMap implements DataMap {
    private final String label;
    private final EventLog events;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** @param events where changes are announced, or {@code null} for private data */
    RunDataMap(String label, EventLog events) {
        this.label = label;
        this.events = events;
    }

    @Override
    public void put(String key, Object value) {
        checkKey(key);
        Object copy = JsonValues.copy(label + " key '" + key + "'", value);
        if (events != null) {
            events.admit(label + " key '" + key + "'", copy);
        }
        synchronized (this) {
            values.put(key, copy);
            if (events != null) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("key", key);
                data.put("value", copy);
                events.append("shared", Collections.unmodifiableMap(data));
            }
        }
    }

    @Override
    public synchronized Object get(String key) {
        return values.get(key);
    }

    @Override
    public synchronized Object remove(String key) {
        if (!values.containsKey(key)) {
            return null;
        }
        Object old = values.remove(key);
        if (events != null) {
            events.append("shared", Map.of("key", key, "removed", true));
        }
        return old;
    }

    @Override
    public synchronized List<String> keys() {
        return new ArrayList<>(values.keySet());
    }

    @Override
    public synchronized Map<String, Object> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(label + " keys must be non-empty strings");
        }
    }
}
