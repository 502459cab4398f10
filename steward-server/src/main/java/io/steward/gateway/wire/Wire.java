package io.steward.gateway.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** Converts the maps other components describe themselves with into the API's records. */
public final class Wire {
    // Strict: a field the record does not declare is a bug to see in the tests, not a field to drop or pass along.
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Wire() {
    }

    /**
     * @throws IllegalStateException when the map has a field the record lacks, or a value of the wrong kind: the
     *                               server's own data disagree with its API (not the client's fault, so not an
     *                               IllegalArgumentException, which the gateway answers with a 400)
     */
    public static <T> T from(Map<String, ?> map, Class<T> type) {
        try {
            return STRICT.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JSON of a " + type.getSimpleName() + " does not match its record: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code map} writes the same JSON as the record it converts to (key order aside).
     *
     * @throws IllegalStateException as {@link #from} does, or naming both forms when they differ
     */
    static boolean sameJson(Map<String, ?> map, Class<?> type) {
        // Through text, as a client reads it: a tree built from objects tells an int from a long of the same value.
        com.fasterxml.jackson.databind.JsonNode asMap = tree(map);
        com.fasterxml.jackson.databind.JsonNode asRecord = tree(from(map, type));
        if (!asMap.equals(asRecord)) {
            throw new IllegalStateException("a " + type.getSimpleName() + " map writes " + asMap
                    + " but its record writes " + asRecord);
        }
        return true;
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(Object value) {
        try {
            return STRICT.readTree(STRICT.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
        }
    }
}
