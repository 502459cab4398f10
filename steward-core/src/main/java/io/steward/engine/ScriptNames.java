package io.steward.engine;

import java.util.Set;

/**
 * The rules for script names: relative paths such as {@code deploy/web.groovy}, made of plain segments,
 * ending in the extension of a known language. Everything that takes a name from outside checks it here,
 * so that no name can climb out of a directory or smuggle control characters into logs.
 */
public final class ScriptNames {
    public static final int MAX_LENGTH = 255;

    private ScriptNames() {
    }

    /**
     * Checks a name and returns it unchanged.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String check(String name, Set<String> extensions) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a script name is required, such as deploy/web.groovy");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("script name is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("script name '" + printable(name)
                        + "' contains a control character at position " + i);
            }
            if (c == '\\' || c == ':') {
                throw new IllegalArgumentException("script name '" + name + "' contains '" + c
                        + "': use '/' between folders and no drive letters");
            }
        }
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("script name '" + name + "' is absolute: give a relative path such as deploy/web.groovy");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("script name '" + name + "' has an empty path segment");
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("script name '" + name + "' contains '" + segment
                        + "': names may not leave or point at their folder");
            }
        }
        String extension = ScriptText.extensionOf(name);
        if (!extensions.contains(extension)) {
            throw new IllegalArgumentException("script name '" + name + "' has " + (extension.isEmpty()
                    ? "no extension" : "the unknown extension '" + extension + "'") + ": use one of " + extensions);
        }
        return name;
    }

    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
