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

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
