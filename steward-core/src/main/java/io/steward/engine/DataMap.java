package io.steward.engine;

import java.util.List;
import java.util.Map;

/**
 * A run's key/value data as a script sees it: {@code shared} (public, readable by every authorised client)
 * or {@code priv} (private to the run's script threads). Values must be JSON-compatible and are copied in.
 */
public interface DataMap {

    /** @throws IllegalArgumentException when the value is not JSON-compatible (the message names the key and type) */
    void put(String key, Object value);

    Object get(String key);

    /** Removes a key and returns its old value, or {@code null}. */
    Object remove(String key);

    /** The keys, in the order they were first put. */
    List<String> keys();

    /** An immutable copy of the whole map. */
    Map<String, Object> asMap();
}
