package io.steward.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The link's JSON: one object per frame; events in the wire form {@code {seq, kind, time, data}}. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-compatible: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object; throws {@link IllegalArgumentException} for anything else. */
    static Map<String, Object> read(String text) {
        try {
            Map<String, Object> map = MAPPER.readValue(text, OBJECT);
            if (map == null) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One event as the link sends it; times are ISO-8601 as everywhere on the link. */
    static String event(long seq, String kind, long timeMillis, Map<String, Object> data) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("seq", seq);
        map.put("kind", kind);
        map.put("time", Instant.ofEpochMilli(timeMillis).toString());
        map.put("data", data);
        return write(map);
    }

    static Map<String, Object> frame(String type, Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
