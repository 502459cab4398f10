package io.steward.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values that may cross the host object: null, booleans, numbers, strings, lists and maps with string
 * keys, nested freely. {@link #copy} checks a value and returns an immutable deep copy, so a script that changes
 * its own map afterwards cannot change what was published.
 *
 * <p>Numbers are normalised so that every language yields the same value: whole numbers become {@link Long}
 * (a JavaScript {@code 3} and a Groovy {@code 3} are equal), other numbers {@link Double}; values beyond the
 * range of a long stay {@link BigInteger}. NaN and infinities are not JSON and are refused.
 */
public final class JsonValues {

    /** A value a language adapter found to be no JSON value, with a description for the error message. */
    public record NotJson(String description) {
    }

    private JsonValues() {
    }

    /**
     * Checks and copies a value.
     *
     * @param what names the value in an error, such as {@code shared key 'hosts'}
     * @throws IllegalArgumentException naming {@code what}, the path inside it and the offending type
     */
    public static Object copy(String what, Object value) {
        return copy(what, "", value);
    }

    /** Copies a map of values, such as the arguments of an invoke request. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyMap(String what, Object value) {
        if (value == null) {
            return Map.of();
        }
        Object copy = copy(what, value);
        if (!(copy instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a map (a JSON object), not " + typeName(value));
        }
        return (Map<String, Object>) copy;
    }

    private static Object copy(String what, String path, Object value) {
        if (value == null || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof Number number) {
            return number(what, path, number);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = key(what, path, e.getKey());
                copy.put(key, copy(what, path + "." + key, e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Iterable<?> items) {
            List<Object> copy = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                copy.add(copy(what, path + "[" + i++ + "]", item));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Object[] array) {
            return copy(what, path, List.of(array));
        }
        throw new IllegalArgumentException(where(what, path) + " is " + typeName(value)
                + ", which is not a JSON value: use null, a boolean, number, string, list or map");
    }

    private static Object number(String what, String path, Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        if (number instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (number instanceof BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException notWhole) {
                return finite(what, path, decimal.doubleValue());
            }
        }
        double d = number.doubleValue();
        finite(what, path, d);
        if (d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15) {
            return (long) d;
        }
        return d;
    }

    private static double finite(String what, String path, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(where(what, path) + " is " + d + ", which JSON cannot hold");
        }
        return d;
    }

    private static String key(String what, String path, Object key) {
        if (key instanceof CharSequence || key instanceof Number || key instanceof Boolean) {
            return key.toString();
        }
        throw new IllegalArgumentException(where(what, path) + " has a key of type " + typeName(key)
                + ": map keys must be strings");
    }

    private static String where(String what, String path) {
        return path.isEmpty() ? what : what + " at '" + path.substring(path.startsWith(".") ? 1 : 0) + "'";
    }

    /** A readable type name for error messages. */
    public static String typeName(Object value) {
        if (value instanceof NotJson notJson) {
            return notJson.description();
        }
        return value == null ? "null" : "a " + value.getClass().getName();
    }
}
