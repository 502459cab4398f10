package io.steward.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * A request's JSON object body, read with a size limit and checked field by field, so that every mistake in a
 * request is answered with a message that names the field.
 */
final class JsonBody {
    private final Map<String, Object> fields;

    /** The body's fields as the client sent them, for handing the request on as it came. */
    Map<String, Object> fields() {
        return fields;
    }

    private JsonBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /**
     * Each body record's field names, worked out once: {@code Class.getRecordComponents} resolves every component's
     * type through the class loader on each call, and per invoke that was a tenth of a request's CPU.
     */
    private static final ClassValue<Set<String>> FIELDS = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Set<String> computeValue(Class<?> record) {
            return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
                    RecordSchemas.fields((Class<? extends Record>) record)));
        }
    };

    /** The body as the fields of {@code record} (the same record documents the body in the OpenAPI document). */
    static JsonBody read(Context ctx, ObjectMapper mapper, long limit, Class<? extends Record> record) {
        return read(ctx, mapper, limit, FIELDS.get(record));
    }

    @SuppressWarnings("unchecked")
    static JsonBody read(Context ctx, ObjectMapper mapper, long limit, Set<String> allowed) {
        byte[] bytes = bytes(ctx, limit);
        if (bytes.length == 0) {
            throw ApiError.badRequest("the request needs a JSON object body with " + allowed);
        }
        Object value;
        try {
            value = mapper.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            // a broken limit (nesting too deep, a number too long) comes without a location
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw ApiError.badRequest("the body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiError.badRequest("the body could not be read: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiError.badRequest("the body must be a JSON object with " + allowed);
        }
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiError.badRequest("unknown field '" + key + "': the body may have " + allowed);
            }
        }
        return new JsonBody((Map<String, Object>) map);
    }

    private static byte[] bytes(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            // Read a moderately oversized body to its end before answering: a client still sending would otherwise
            // see its connection reset instead of the 413 (a huge one is cut off all the same).
            discard(ctx, Math.min(declared, 16L << 20));
            throw ApiError.tooLarge("the body is " + declared + " bytes; the limit is " + limit
                    + " (steward server --max-body)", Refusal.details(io.steward.metrics.ServerMetrics.REQUEST_BYTES, limit, declared));
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw ApiError.tooLarge("the body is over the limit of " + limit + " bytes (steward server --max-body)",
                        Refusal.details(io.steward.metrics.ServerMetrics.REQUEST_BYTES, limit, bytes.length));
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private static void discard(Context ctx, long bytes) {
        try (InputStream in = ctx.req().getInputStream()) {
            in.skipNBytes(bytes);
        } catch (IOException | RuntimeException ignored) {
            // the answer is a 413 whatever happened to the rest of the body
        }
    }

    String string(String field) {
        Object v = fields.get(field);
        if (v == null) {
            throw ApiError.badRequest("the field '" + field + "' is required");
        }
        if (!(v instanceof String s)) {
            throw ApiError.badRequest("the field '" + field + "' must be a string, not " + kind(v));
        }
        return s;
    }

    /** A field that must be present; its value may be any JSON value, null included. */
    Object required(String field) {
        if (!fields.containsKey(field)) {
            throw ApiError.badRequest("the body needs the field '" + field + "'");
        }
        return fields.get(field);
    }

    /** A field that may be missing; its value may be any JSON value ({@code null} when missing). */
    Object optional(String field) {
        return fields.get(field);
    }

    String optionalString(String field) {
        return fields.get(field) == null ? null : string(field);
    }

    int optionalInt(String field, int otherwise) {
        Object v = fields.get(field);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Integer || v instanceof Long) {
            long n = ((Number) v).longValue();
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw ApiError.badRequest("the field '" + field + "' must be a whole number of 0 or more, not " + kind(v));
    }

    boolean optionalBoolean(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ApiError.badRequest("the field '" + field + "' must be true or false, not " + kind(v));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> optionalObject(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw ApiError.badRequest("the field '" + field + "' must be a JSON object, not " + kind(v));
        }
        return (Map<String, Object>) v;
    }

    /** A duration given as text ({@code "30s"}) or as milliseconds. */
    java.time.Duration optionalDuration(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.longValue() > 0) {
            return java.time.Duration.ofMillis(n.longValue());
        }
        if (v instanceof String s) {
            return Durations.parse("the field '" + field + "'", s);
        }
        throw ApiError.badRequest("the field '" + field + "' must be a duration such as \"30s\" or milliseconds, not " + kind(v));
    }

    private static String kind(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof java.util.List) {
            return "a list";
        }
        return "null";
    }
}
