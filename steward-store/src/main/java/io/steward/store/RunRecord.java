package io.steward.store;

import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run as the store keeps it: the run's record without what only lives while it runs (script threads, local
 * processes). Written when the run is created and when it ends; between the two the store also follows its state
 * (RUNNING) and its latest durable event number.
 */
public record RunRecord(String id, String script, int version, RunState state, Map<String, Object> args,
                        Map<String, Object> shared, Map<String, Object> statusValues, Map<String, Object> progress,
                        Object result, ScriptError error, String node, String parent, String invoker,
                        Instant createdAt, Instant startedAt, Instant endedAt, long lastSeq) {

    public Duration duration() {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, endedAt != null ? endedAt : Instant.now());
    }

    /**
     * The run's JSON as the API shows it, with the keys of {@code RunSnapshot.toMap()} except the live-only ones
     * ({@code threads, threadsStarted, processes, children}), which the caller adds where it knows them.
     */
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
        map.put("result", result);
        map.put("error", error == null ? null : error.toMap());
        map.put("node", node);
        map.put("parent", parent);
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
