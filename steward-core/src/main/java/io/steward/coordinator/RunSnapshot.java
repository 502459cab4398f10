package io.steward.coordinator;

import io.steward.engine.ScriptError;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as a client may see it at one moment: the answer to a poll (claims 20, 61–63). Never holds private data.
 *
 * @param threads   live script threads: {@code name, startedAt}
 * @param processes live local processes: {@code pid, command, startedAt}
 * @param progress  {@code fraction, message}, or {@code null} before the first report
 * @param lastSeq   the sequence number of the run's latest event
 */
public record RunSnapshot(String id, String script, int version, RunState state, Map<String, Object> args,
                          Map<String, Object> shared, Map<String, Object> statusValues, Map<String, Object> progress,
                          List<Map<String, Object>> threads, int threadsStarted, List<Map<String, Object>> processes,
                          Instant createdAt, Instant startedAt, Instant endedAt, Object result, ScriptError error,
                          String node, String parent, List<Map<String, Object>> children, String invoker, long lastSeq) {

    public Duration duration() {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, endedAt != null ? endedAt : Instant.now());
    }

    /** The JSON form used by the API and the CLI. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("script", script);
        map.put("version", (long) version);
        map.put("state", state.name());
        map.put("args", args);
        map.put("shared", shared);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("values", statusValues);
        status.put("progress", progress);
        map.put("status", status);
        map.put("threads", threads);
        map.put("threadsStarted", (long) threadsStarted);
        map.put("processes", processes);
        map.put("result", result);
        map.put("error", error == null ? null : error.toMap());
        map.put("node", node);
        map.put("parent", parent);
        map.put("children", children);
        map.put("invoker", invoker);
        map.put("createdAt", text(createdAt));
        map.put("startedAt", text(startedAt));
        map.put("endedAt", text(endedAt));
        map.put("durationMs", duration().toMillis());
        map.put("lastSeq", lastSeq);
        return map;
    }

    /** What a parent shows of this run as one of its children: {@code id, node, state, result, error}. */
    public Map<String, Object> asChild() {
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("id", id);
        child.put("node", node);
        child.put("state", state.name());
        child.put("result", result);
        child.put("error", error == null ? null : error.toMap());
        return child;
    }

    /**
     * A snapshot read back from its JSON form ({@link #toMap()}), as an agent sends it over its link.
     *
     * @throws IllegalArgumentException when a required field is missing or of the wrong type
     */
    @SuppressWarnings("unchecked")
    public static RunSnapshot fromMap(Map<String, Object> m) {
        try {
            Map<String, Object> status = m.get("status") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
            Map<String, Object> error = (Map<String, Object>) m.get("error");
            return new RunSnapshot((String) m.get("id"), (String) m.get("script"), number(m.get("version")).intValue(),
                    RunState.valueOf((String) m.get("state")), map(m.get("args")), map(m.get("shared")),
                    map(status.get("values")), (Map<String, Object>) status.get("progress"),
                    (List<Map<String, Object>>) (m.get("threads") == null ? List.of() : m.get("threads")),
                    m.get("threadsStarted") == null ? 0 : number(m.get("threadsStarted")).intValue(),
                    (List<Map<String, Object>>) (m.get("processes") == null ? List.of() : m.get("processes")),
                    instant(m.get("createdAt")), instant(m.get("startedAt")), instant(m.get("endedAt")), m.get("result"),
                    error == null ? null : new ScriptError((String) error.get("script"),
                            error.get("line") == null ? 0 : number(error.get("line")).intValue(),
                            error.get("column") == null ? 0 : number(error.get("column")).intValue(),
                            String.valueOf(error.get("message"))),
                    (String) m.get("node"), (String) m.get("parent"),
                    (List<Map<String, Object>>) (m.get("children") == null ? List.of() : m.get("children")),
                    (String) m.get("invoker"), m.get("lastSeq") == null ? 0 : number(m.get("lastSeq")).longValue());
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not the JSON of a run: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static Number number(Object value) {
        return (Number) value;
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
