package io.steward.nodes;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node info an agent reports in {@code hello} and {@code heartbeat} (docs/agent-protocol.md, "NODE_INFO"), held
 * to the fields of {@code io.steward.coordinator.NodeInfo} before any of it is stored: each field of the right type
 * and size, or the whole info is refused naming the field. What is stored is then always something
 * {@code GET /api/v1/nodes} can show (a list where a number belongs once made it answer 500).
 *
 * <p>Every field may be absent (or null, the same): an agent reports what it knows. A field this primary does not
 * know is dropped, not stored, so that a newer agent still joins and no agent can grow the store's row at will.
 */
final class ReportedNodeInfo {
    static final int MAX_TEXT = 256;
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_KEY = 63;
    static final int MAX_CPUS = 1 << 20;

    private ReportedNodeInfo() {
    }

    /**
     * The info as it may be stored: checked, unknown fields left out, {@code name} set to the link's name (a node's
     * name is its link's, never what its info says).
     *
     * @throws IllegalArgumentException naming the field, what it is and what it must be
     */
    static Map<String, Object> check(Object info, String name) {
        if (!(info instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("info must be a JSON object of node info, not " + kind(info));
        }
        Map<String, Object> clean = new LinkedHashMap<>();
        text(fields, "name", MAX_TEXT); // checked like the rest, but the link's name is what counts
        clean.put("name", name);
        putIfPresent(clean, "host", text(fields, "host", MAX_TEXT));
        putIfPresent(clean, "os", text(fields, "os", MAX_TEXT));
        putIfPresent(clean, "arch", text(fields, "arch", MAX_TEXT));
        putIfPresent(clean, "cpus", whole(fields, "cpus", 0, MAX_CPUS));
        putIfPresent(clean, "memoryBytes", whole(fields, "memoryBytes", 0, Long.MAX_VALUE));
        putIfPresent(clean, "load", load(fields));
        putIfPresent(clean, "labels", labels(fields.get("labels")));
        putIfPresent(clean, "jvm", text(fields, "jvm", MAX_TEXT));
        putIfPresent(clean, "version", text(fields, "version", MAX_TEXT));
        putIfPresent(clean, "startedAt", instant(fields));
        return clean;
    }

    /**
     * What of a stored info can be shown: each field that {@link #check} would take, the others left out. For
     * rows stored before these checks existed, so that one of them cannot make the node list fail.
     */
    static Map<String, Object> readable(Map<String, Object> stored, String name) {
        Map<String, Object> clean = new LinkedHashMap<>();
        clean.put("name", name);
        for (Map.Entry<String, Object> field : stored.entrySet()) {
            try {
                Map<String, Object> one = check(Map.of(field.getKey(), field.getValue()), name);
                one.remove("name");
                clean.putAll(one);
            } catch (IllegalArgumentException | NullPointerException unreadable) {
                // left out: a field that would be refused today is not shown either
            }
        }
        return clean;
    }

    /**
     * The labels of {@code hello} (beside its info): at most {@link #MAX_LABELS} of them, keys of 1 to
     * {@link #MAX_LABEL_KEY} characters, values text of at most {@link #MAX_TEXT}, no control characters.
     *
     * @return the labels sorted by key, or {@code null} when absent
     * @throws IllegalArgumentException naming the label and what is wrong with it
     */
    static Map<String, String> labels(Object labels) {
        if (labels == null) {
            return null;
        }
        if (!(labels instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("labels must be a JSON object of text values, not " + kind(labels));
        }
        if (map.size() > MAX_LABELS) {
            throw new IllegalArgumentException("labels has " + map.size() + " entries: at most " + MAX_LABELS);
        }
        Map<String, String> clean = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.isEmpty() || key.length() > MAX_LABEL_KEY || hasControl(key)) {
                throw new IllegalArgumentException("the label key '" + printable(key) + "' must be 1 to "
                        + MAX_LABEL_KEY + " characters without control characters");
            }
            if (!(e.getValue() instanceof String value) || value.length() > MAX_TEXT || hasControl(value)) {
                throw new IllegalArgumentException("the label '" + key + "' must be text of at most " + MAX_TEXT
                        + " characters without control characters, not " + kind(e.getValue()));
            }
            clean.put(key, value);
        }
        return clean;
    }

    private static String text(Map<?, ?> fields, String field, int max) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.length() > max || hasControl(s)) {
            throw new IllegalArgumentException("info." + field + " must be text of at most " + max
                    + " characters without control characters, not " + kind(value));
        }
        return s;
    }

    private static Long whole(Map<?, ?> fields, String field, long min, long max) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        // Jackson reads JSON integers as Integer, Long or BigInteger: the last is out of range by definition
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new IllegalArgumentException("info." + field + " must be a whole number from " + min + " to " + max
                    + ", not " + kind(value));
        }
        return ((Number) value).longValue();
    }

    private static Double load(Map<?, ?> fields) {
        Object value = fields.get("load");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof Double)
                || !Double.isFinite(((Number) value).doubleValue())) {
            throw new IllegalArgumentException("info.load must be a number (negative where unknown), not " + kind(value));
        }
        return ((Number) value).doubleValue();
    }

    private static String instant(Map<?, ?> fields) {
        String text = text(fields, "startedAt", 64);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("info.startedAt must be an ISO-8601 instant such as "
                    + "2026-01-01T00:00:00Z, not '" + printable(text) + "'");
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    /** What a value is, for an error message: its JSON kind, and a short text of it for scalars. */
    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case java.util.List<?> l -> "a list";
            case String s -> s.length() > 40 ? "text of " + s.length() + " characters" : "'" + printable(s) + "'";
            case Boolean b -> b.toString();
            case Number n -> n.toString().length() > 40 ? "a number of " + n.toString().length() + " digits" : n.toString();
            default -> value.getClass().getSimpleName();
        };
    }

    private static String printable(String s) {
        return io.steward.files.ConfinedDirectory.printable(s);
    }
}
