package io.steward.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.steward.gateway.wire.ApiField;
import io.steward.gateway.wire.SchemaName;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (OpenAPI 3.1) of the API's records, by reflection over their components: every record and enum
 * becomes a named component schema that others refer to by {@code $ref}. It knows only the types the records use
 * (text, numbers, booleans, enums, lists, string-keyed maps, records, and {@code Object} for any JSON value) and
 * refuses any other, so a record with a type it cannot describe fails the document rather than being half-described.
 */
final class RecordSchemas {
    private final Map<String, Object> components = new TreeMap<>();

    /** The schema of a value of {@code type}: inline for plain values, a {@code $ref} for records and enums. */
    Map<String, Object> of(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return map("type", "array", "items", of(args[0]));
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                return args[1] == Object.class ? map("type", "object")
                        : map("type", "object", "additionalProperties", of(args[1]));
            }
            throw new IllegalArgumentException("no JSON schema for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return map("type", "string");
        }
        if (c == int.class || c == Integer.class) {
            return map("type", "integer", "format", "int32");
        }
        if (c == long.class || c == Long.class) {
            return map("type", "integer", "format", "int64");
        }
        if (c == double.class || c == Double.class) {
            return map("type", "number", "format", "double");
        }
        if (c == boolean.class || c == Boolean.class) {
            return map("type", "boolean");
        }
        if (c == Object.class) {
            return new LinkedHashMap<>();
        }
        if (c.isEnum() || c.isRecord()) {
            String name = name(c);
            if (!components.containsKey(name)) {
                components.put(name, Map.of()); // a placeholder first, for records that refer to themselves
                components.put(name, c.isEnum() ? enumSchema(c) : recordSchema(c));
            }
            return map("$ref", "#/components/schemas/" + name);
        }
        throw new IllegalArgumentException("no JSON schema for " + type);
    }

    /** Every record and enum schema {@link #of} has named so far. */
    Map<String, Object> components() {
        return components;
    }

    static String name(Class<?> c) {
        SchemaName named = c.getAnnotation(SchemaName.class);
        return named != null ? named.value() : c.getSimpleName();
    }

    /** The JSON field names of a request body's record: what its route accepts. */
    static List<String> fields(Class<? extends Record> body) {
        return Arrays.stream(body.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private Map<String, Object> recordSchema(Class<?> c) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent rc : c.getRecordComponents()) {
            ApiField field = rc.getAnnotation(ApiField.class);
            JsonInclude include = rc.getAccessor().getAnnotation(JsonInclude.class);
            boolean mayBeAbsent = (field != null && field.optional())
                    || (include != null && include.value() != JsonInclude.Include.ALWAYS);
            if (!mayBeAbsent) {
                required.add(rc.getName());
            }
            properties.put(rc.getName(), property(rc, field));
        }
        Map<String, Object> schema = map("type", "object");
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("properties", properties);
        return schema;
    }

    private Map<String, Object> property(RecordComponent rc, ApiField field) {
        Map<String, Object> schema = field != null && field.types().length > 0
                ? map("type", List.of(field.types())) : of(rc.getGenericType());
        if (field == null) {
            return schema;
        }
        if (!field.format().isEmpty()) {
            schema.put("format", field.format());
        }
        if (field.nullable()) {
            schema = nullable(schema);
        }
        if (!field.description().isEmpty()) {
            schema.put("description", field.description());
        }
        return schema;
    }

    /** The schema that also admits {@code null}: an added type, or for a reference one of it and null. */
    private static Map<String, Object> nullable(Map<String, Object> schema) {
        if (schema.isEmpty()) {
            return schema; // any value already admits null
        }
        if (schema.get("type") instanceof String type) {
            schema.put("type", List.of(type, "null"));
            return schema;
        }
        return map("oneOf", List.of(schema, map("type", "null")));
    }

    private static Map<String, Object> enumSchema(Class<?> c) {
        return map("type", "string", "enum", Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
