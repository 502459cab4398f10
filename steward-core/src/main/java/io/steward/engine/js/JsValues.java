package io.steward.engine.js;

import io.steward.engine.JsonValues;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.Proxy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values across the host boundary. JavaScript to Java gives JSON-compatible values (maps, lists, strings, longs
 * for integral numbers, doubles, booleans, null); anything JSON cannot carry (a function, a handle, an object that
 * contains itself) becomes a {@link JsonValues.NotJson} that names it, so the host's check fails with a clear
 * message. Java to JavaScript gives plain JavaScript objects and arrays, made in the receiving context.
 */
final class JsValues {
    private static final DateTimeFormatter ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JsValues() {
    }

    static Object toJava(Value value) {
        return toJava(value, new ArrayList<>());
    }

    private static Object toJava(Value value, List<Value> open) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isNumber()) {
            return value.fitsInLong() ? (Object) value.asLong() : (Object) value.asDouble();
        }
        if (value.isProxyObject() || value.isHostObject()) {
            return new JsonValues.NotJson("a Steward handle");
        }
        if (value.canExecute() || value.canInstantiate()) {
            return new JsonValues.NotJson("a JavaScript function");
        }
        if (value.isInstant()) {
            // What JSON.stringify gives for a Date: its toISOString().
            return ISO_DATE.format(value.asInstant());
        }
        for (Value o : open) {
            if (o.equals(value)) {
                return new JsonValues.NotJson("a JavaScript object that contains itself");
            }
        }
        open.add(value);
        try {
            if (value.hasArrayElements()) {
                long size = value.getArraySize();
                List<Object> list = new ArrayList<>((int) Math.min(size, 1 << 16));
                for (long i = 0; i < size; i++) {
                    list.add(toJava(value.getArrayElement(i), open));
                }
                return list;
            }
            if (value.hasMembers()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key : value.getMemberKeys()) {
                    map.put(key, toJava(value.getMember(key), open));
                }
                return map;
            }
            return new JsonValues.NotJson("a JavaScript " + value);
        } finally {
            open.removeLast();
        }
    }

    /** What a value becomes on its way to another script thread: JSON, or a Steward handle, which is shared. */
    static Object transferable(Value value) {
        if (value != null && value.isProxyObject()) {
            return value.asProxyObject();
        }
        return toJava(value);
    }

    static Object toJs(JsContext context, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Value
                || value instanceof Proxy) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger || value instanceof BigDecimal || value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Value object = context.newObject();
            map.forEach((k, v) -> object.putMember(String.valueOf(k), toJs(context, v)));
            return object;
        }
        if (value instanceof Collection<?> items) {
            Value array = context.newArray();
            long i = 0;
            for (Object item : items) {
                array.setArrayElement(i++, toJs(context, item));
            }
            return array;
        }
        if (value instanceof JsonValues.NotJson) {
            return null;
        }
        return value.toString();
    }

    /** A string argument: undefined and null stay null, anything else is its JavaScript string form. */
    static String string(Value value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isString() ? value.asString() : value.toString();
    }

    static double number(Value value, String what) {
        if (value != null && value.isNumber()) {
            return value.asDouble();
        }
        throw new IllegalArgumentException(what + " takes a number, not " + describe(value));
    }

    /** What a value is, for messages: {@code a number}, {@code an array}. */
    static String describe(Value value) {
        if (value == null) {
            return "undefined";
        }
        if (value.isNull()) {
            return value.toString();
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isString()) {
            return "a string";
        }
        if (value.hasArrayElements()) {
            return "an array";
        }
        if (value.canExecute()) {
            return "a function";
        }
        return "an object";
    }
}
