package io.steward.engine.js;

import io.steward.engine.JsonValues;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;
import org.mozilla.javascript.Wrapper;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values where they cross the host object. JavaScript to Java gives what {@link JsonValues} accepts
 * (whole numbers as {@code Long}, plain objects as maps in property order), and for anything else a
 * {@link JsonValues.NotJson} that names it, so the host's check fails with a clear message. Java to JavaScript
 * gives native objects, arrays and numbers, so scripts never see a Java object.
 */
final class JsValues {
    /** Beyond 2^53 a double no longer holds every whole number: such values stay doubles, as in JsonValues. */
    private static final double MAX_SAFE = 9.007199254740992E15;

    private JsValues() {
    }

    /** A JavaScript value as a JSON-compatible Java value (or a NotJson naming what it is). */
    static Object toJava(Object value) {
        return toJava(value, new IdentityHashMap<>());
    }

    private static Object toJava(Object value, Map<Object, Boolean> open) {
        if (value == null || Undefined.isUndefined(value) || value == Scriptable.NOT_FOUND) {
            return null;
        }
        if (value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Number number) {
            return number(number);
        }
        if (value instanceof Wrapper wrapper) {
            return toJava(wrapper.unwrap(), open);
        }
        if (value instanceof Symbol) {
            return new JsonValues.NotJson("a JavaScript symbol");
        }
        if (value instanceof Callable) {
            return new JsonValues.NotJson("a JavaScript function");
        }
        if (!(value instanceof Scriptable object)) {
            return new JsonValues.NotJson("a " + value.getClass().getName());
        }
        if (open.put(object, Boolean.TRUE) != null) {
            return new JsonValues.NotJson("a JavaScript object that contains itself");
        }
        try {
            if (object instanceof NativeArray array) {
                return list(array, open);
            }
            return switch (object.getClassName()) {
                case "Object" -> map(object, open);
                // new String('x') and friends: the value they wrap.
                case "String", "Number", "Boolean" -> toJava(object.getDefaultValue(null), open);
                default -> new JsonValues.NotJson("a JavaScript " + object.getClassName());
            };
        } finally {
            open.remove(object);
        }
    }

    private static Object number(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        if (number instanceof BigInteger) {
            return number; // a JavaScript BigInt
        }
        double d = number.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE) {
            return (long) d;
        }
        return d;
    }

    private static List<Object> list(NativeArray array, Map<Object, Boolean> open) {
        long length = array.getLength();
        List<Object> list = new ArrayList<>((int) Math.min(length, 1 << 16));
        for (int i = 0; i < length; i++) {
            list.add(toJava(array.get(i, array), open));
        }
        return list;
    }

    private static Map<String, Object> map(Scriptable object, Map<Object, Boolean> open) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Object id : object.getIds()) {
            // getIds gives the own enumerable keys in property order; symbols are no JSON keys and are left out.
            if (id instanceof Integer index) {
                map.put(index.toString(), toJava(ScriptableObject.getProperty(object, index), open));
            } else if (id instanceof CharSequence name) {
                map.put(name.toString(), toJava(ScriptableObject.getProperty(object, name.toString()), open));
            }
        }
        return map;
    }

    /** The elements of a JavaScript array, unconverted, so that script threads receive the very objects. */
    static List<Object> elements(Object value, String what) {
        if (!(value instanceof NativeArray array)) {
            throw new IllegalArgumentException(what + " takes an array, not " + describe(value));
        }
        long length = array.getLength();
        List<Object> items = new ArrayList<>((int) Math.min(length, 1 << 16));
        for (int i = 0; i < length; i++) {
            Object item = array.get(i, array);
            items.add(item == Scriptable.NOT_FOUND ? Undefined.instance : item);
        }
        return items;
    }

    /**
     * A Java value as a JavaScript value. JavaScript values (a script thread's result) pass through unchanged.
     */
    static Object toJs(Context cx, Scriptable scope, Object value) {
        if (value == null || value instanceof Boolean || value instanceof String || value instanceof ConsString
                || value instanceof Scriptable || value instanceof Undefined || value instanceof Symbol) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Number number) {
            return jsNumber(number);
        }
        if (value instanceof Map<?, ?> map) {
            Scriptable object = cx.newObject(scope);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                ScriptableObject.putProperty(object, String.valueOf(e.getKey()), toJs(cx, scope, e.getValue()));
            }
            return object;
        }
        if (value instanceof Collection<?> items) {
            Object[] elements = new Object[items.size()];
            int i = 0;
            for (Object item : items) {
                elements[i++] = toJs(cx, scope, item);
            }
            return cx.newArray(scope, elements);
        }
        if (value instanceof Object[] array) {
            return toJs(cx, scope, List.of(array));
        }
        throw new IllegalStateException("a " + value.getClass().getName() + " cannot be handed to JavaScript");
    }

    private static Object jsNumber(Number number) {
        if (number instanceof Integer || number instanceof Double) {
            return number;
        }
        if (number instanceof Long || number instanceof Short || number instanceof Byte) {
            long n = number.longValue();
            return n == (int) n ? (Object) (int) n : (Object) (double) n;
        }
        // BigInteger beyond a long (JsonValues keeps those) and other Number types: a JavaScript number.
        return number.doubleValue();
    }

    /** A string argument: undefined and null stay null, anything else is its JavaScript string form. */
    static String string(Object value) {
        return value == null || Undefined.isUndefined(value) ? null : Context.toString(value);
    }

    /** A short description of a JavaScript value for error messages. */
    static String describe(Object value) {
        Object java = toJava(value);
        if (java == null) {
            return Undefined.isUndefined(value) ? "undefined" : "null";
        }
        if (java instanceof JsonValues.NotJson notJson) {
            return notJson.description();
        }
        return java instanceof Map ? "an object" : java instanceof List ? "an array"
                : java instanceof String ? "a string" : java instanceof Boolean ? "a boolean" : "a number";
    }
}
