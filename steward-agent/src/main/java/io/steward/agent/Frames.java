package io.steward.agent;

import java.util.Map;

/** Typed reads of a frame's fields; a field of the wrong type reads as missing, not as a crash. */
final class Frames {
    private Frames() {
    }

    static String text(Map<String, Object> frame, String key) {
        return frame.get(key) instanceof String s ? s : null;
    }

    static Number number(Map<String, Object> frame, String key) {
        return frame.get(key) instanceof Number n ? n : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> frame, String key) {
        return frame.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
