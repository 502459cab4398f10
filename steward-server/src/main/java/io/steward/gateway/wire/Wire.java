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
}
