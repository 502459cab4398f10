package io.steward.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and why a script failed: the script's name, the line (and column, where known) and a message.
 * Line and column are 0 when unknown.
 */
public record ScriptError(String script, int line, int column, String message) {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("script", script);
        map.put("line", (long) line);
        if (column > 0) {
            map.put("column", (long) column);
        }
        map.put("message", message);
        return map;
    }

    /** {@code deploy/web.groovy:12:5: message}, the way compilers print it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(script == null ? "?" : script);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(message).toString();
    }
}
