package io.steward.store;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The record as a snapshot: what only lives while a run runs (threads, processes) is empty, and the children
     * are the ones given (the caller looks them up where it needs them).
     */
    public RunSnapshot snapshot(List<Map<String, Object>> children) {
        return new RunSnapshot(id, script, version, state, args, shared, statusValues, progress, List.of(), 0, List.of(),
                createdAt, startedAt, endedAt, result, error, node, parent, children, invoker, lastSeq);
    }

    /** The run's JSON as the API shows it: {@link RunSnapshot#toMap()} of {@link #snapshot} without children. */
    public Map<String, Object> toMap() {
        return snapshot(List.of()).toMap();
    }

    /** What a parent shows of this run as one of its children. */
    public Map<String, Object> asChild() {
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("id", id);
        child.put("node", node);
        child.put("state", state.name());
        child.put("result", result);
        child.put("error", error == null ? null : error.toMap());
        return child;
    }
}
