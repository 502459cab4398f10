package io.steward.coordination;

import java.util.regex.Pattern;

/**
 * Names of variables, semaphores, events, queues, pools and pool entries. They appear in URL paths and in the store,
 * so they are plain: letters, digits and {@code . _ - : @}, not starting with a dot or a dash, no {@code ..}, at most
 * 128 characters. That leaves no room for path tricks ({@code ../x}, {@code /etc}, {@code %2f}, NUL).
 */
public final class CoordinationNames {
    public static final int MAX_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_@:][A-Za-z0-9_.@:-]*");

    private CoordinationNames() {
    }

    /** @return {@code name}; @throws IllegalArgumentException naming {@code what} and the rule */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " name is missing");
        }
        if (name.length() > MAX_LENGTH || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(what + " name '" + printable(name) + "' is not allowed: use letters, "
                    + "digits and . _ - : @ (at most " + MAX_LENGTH + " characters, not starting with . or -, no ..)");
        }
        return name;
    }

    /** A variable scope: {@code global} or {@code node:NAME}. */
    public static String checkScope(String scope) {
        if ("global".equals(scope)) {
            return scope;
        }
        if (scope != null && scope.startsWith("node:") && scope.length() > 5) {
            check("node", scope.substring(5));
            return scope;
        }
        throw new IllegalArgumentException("variable scope '" + printable(String.valueOf(scope))
                + "' is not allowed: use global or node:NAME");
    }

    /** Milliseconds to wait, checked: 0 tries once; negative is refused. */
    public static long checkTimeout(String what, long timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException(what + ": timeout must be 0 or more milliseconds, not " + timeoutMs);
        }
        return timeoutMs;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(MAX_LENGTH + 8).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
