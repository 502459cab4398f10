package io.steward.gateway;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value (as Jackson reads it: maps, lists, strings, numbers, booleans, null) against a schema of the
 * OpenAPI document, for the subset of JSON Schema the document uses: {@code $ref}, {@code type} (one or several),
 * {@code enum}, {@code oneOf}, {@code format: date-time}, {@code required}, {@code properties},
 * {@code additionalProperties} and {@code items}. Stricter than the document on one point, on purpose: an object
 * with {@code properties} may have no property they do not declare, so an undocumented field is a failure.
 */
final class SchemaCheck {
    private final Map<String, Object> document;

    SchemaCheck(Map<String, Object> document) {
        this.document = document;
    }

    /** What is wrong with {@code value}, one line each; empty when it matches. */
    List<String> problems(Object value, Map<String, Object> schema) {
        List<String> problems = new ArrayList<>();
        check(value, schema, "$", problems);
        return problems;
    }

    @SuppressWarnings("unchecked")
    private void check(Object value, Map<String, Object> schema, String at, List<String> problems) {
        if (schema.get("$ref") instanceof String ref) {
            check(value, resolve(ref), at, problems);
            return;
        }
        if (schema.get("oneOf") instanceof List<?> alternatives) {
            long matching = alternatives.stream()
                    .filter(a -> problems(value, (Map<String, Object>) a).isEmpty()).count();
            if (matching != 1) {
                problems.add(at + ": matches " + matching + " of the oneOf alternatives, not exactly one: " + value);
            }
            return;
        }
        Object type = schema.get("type");
        if (type != null) {
            List<String> types = type instanceof List<?> l ? (List<String>) l : List.of((String) type);
            if (types.stream().noneMatch(t -> is(value, t))) {
                problems.add(at + ": " + kind(value) + " where the schema says " + types + ": " + value);
                return;
            }
        }
        if (schema.get("enum") instanceof List<?> values && !values.contains(value)) {
            problems.add(at + ": " + value + " is not one of " + values);
        }
        if ("date-time".equals(schema.get("format")) && value instanceof String text) {
            try {
                Instant.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(at + ": not a date-time: " + text);
            }
        }
        if (value instanceof Map<?, ?> object) {
            checkObject((Map<String, Object>) object, schema, at, problems);
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), (Map<String, Object>) items, at + "[" + i + "]", problems);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void checkObject(Map<String, Object> object, Map<String, Object> schema, String at, List<String> problems) {
        for (Object name : (List<Object>) schema.getOrDefault("required", List.of())) {
            if (!object.containsKey(name)) {
                problems.add(at + ": the required property '" + name + "' is missing");
            }
        }
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        Object additional = schema.get("additionalProperties");
        for (Map.Entry<String, Object> e : object.entrySet()) {
            String where = at + "." + e.getKey();
            if (properties != null) {
                if (!properties.containsKey(e.getKey())) {
                    problems.add(where + ": not declared in the schema");
                } else {
                    check(e.getValue(), (Map<String, Object>) properties.get(e.getKey()), where, problems);
                }
            } else if (additional instanceof Map<?, ?> values) {
                check(e.getValue(), (Map<String, Object>) values, where, problems);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolve(String ref) {
        Object node = document;
        for (String part : ref.substring(2).split("/")) {
            node = ((Map<String, Object>) node).get(part);
            if (node == null) {
                throw new AssertionError("the document has no " + ref);
            }
        }
        return (Map<String, Object>) node;
    }

    private static boolean is(Object value, String type) {
        return switch (type) {
            case "null" -> value == null;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "number" -> value instanceof Number;
            case "array" -> value instanceof List;
            case "object" -> value instanceof Map;
            default -> throw new AssertionError("a type the checker does not know: " + type);
        };
    }

    private static String kind(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
