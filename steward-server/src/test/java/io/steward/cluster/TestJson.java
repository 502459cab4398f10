package io.steward.cluster;

import java.util.Map;

/** Reads a value out of nested JSON objects, for assertions. */
final class TestJson {
    private TestJson() {
    }

    /** The value at {@code path} in {@code json}, or null where a step is missing or not an object. */
    static Object at(Map<String, Object> json, String... path) {
        Object here = json;
        for (String step : path) {
            if (!(here instanceof Map<?, ?> map)) {
                return null;
            }
            here = map.get(step);
        }
        return here;
    }
}
