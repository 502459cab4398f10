package io.steward.engine;

import java.util.Map;

/**
 * The length in bytes of a {@link JsonValues} value written as compact UTF-8 JSON, computed by walking the value
 * instead of writing it: the size limits on events and arguments are checked on the hot path, where serialising
 * every value twice would cost more than the check is worth. Strings count their UTF-8 bytes plus the escapes a
 * JSON writer adds ({@code \"}, {@code \\}, {@code \n}, {@code \u0001}); numbers their decimal digits. The walk
 * stops as soon as the count passes {@code stopAbove}, so a huge value costs no more than the limit.
 */
public final class JsonSize {
    private JsonSize() {
    }

    /** The value's JSON size, or some number above {@code stopAbove} once it is known to be larger. */
    public static long of(Object value, long stopAbove) {
        return add(0, value, stopAbove);
    }

    private static long add(long size, Object value, long stopAbove) {
        if (size > stopAbove) {
            return size;
        }
        if (value == null) {
            return size + 4;
        }
        if (value instanceof String s) {
            return size + string(s);
        }
        if (value instanceof Boolean b) {
            return size + (b ? 4 : 5);
        }
        if (value instanceof Number n) {
            return size + n.toString().length();
        }
        if (value instanceof Map<?, ?> map) {
            size += 2 + Math.max(0, map.size() - 1); // braces and commas
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size = add(size + string(String.valueOf(e.getKey())) + 1, e.getValue(), stopAbove);
                if (size > stopAbove) {
                    return size;
                }
            }
            return size;
        }
        if (value instanceof Iterable<?> items) {
            size += 1; // the bracket; each item adds its comma or the closing bracket
            for (Object item : items) {
                size = add(size + 1, item, stopAbove);
                if (size > stopAbove) {
                    return size;
                }
            }
            return size + 1 - (items.iterator().hasNext() ? 1 : 0);
        }
        return size + string(value.toString());
    }

    private static long string(String s) {
        long bytes = 2;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
