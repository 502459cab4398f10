package io.steward.store;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Run snapshots and events as the coordinator would hand them to its event sink, for tests. */
final class Snapshots {

    private Snapshots() {
    }

    static RunSnapshot queued(String id, String script, Instant created) {
        return new RunSnapshot(id, script, 1, RunState.QUEUED, Map.of("n", 1L), Map.of(), Map.of(), null, List.of(), 0,
                List.of(), created, null, null, null, null, "primary", null, List.of(), "tester", 1);
    }

    static RunSnapshot ended(RunSnapshot run, RunState state, Instant ended, long lastSeq) {
        Object result = state == RunState.SUCCEEDED ? Map.of("ok", true) : null;
        ScriptError error = state == RunState.SUCCEEDED ? null : new ScriptError(run.script(), 3, 7, "it broke");
        return new RunSnapshot(run.id(), run.script(), run.version(), state, run.args(), Map.of("host", "web1"),
                Map.of("phase", "done"), Map.of("fraction", 1.0, "message", "finished"), List.of(), 1, List.of(),
                run.createdAt(), run.createdAt(), ended, result, error, run.node(), run.parent(), List.of(),
                run.invoker(), lastSeq);
    }

    static RunEvent event(String runId, long seq, String kind, Map<String, Object> data) {
        return new RunEvent(runId, seq, kind, System.currentTimeMillis(), data);
    }

    static RunEvent state(String runId, long seq, RunState state) {
        return event(runId, seq, "state", Map.of("state", state.name()));
    }

    /** A run's last event as the coordinator appends it at the run's end: its state with its result or error. */
    static RunEvent finalState(String runId, long seq, long time, RunState state) {
        Map<String, Object> data = state == RunState.SUCCEEDED
                ? Map.of("state", state.name(), "result", Map.of("ok", true))
                : Map.of("state", state.name(), "error", new ScriptError("end.groovy", 3, 7, "it broke").toMap());
        return new RunEvent(runId, seq, "state", time, data);
    }

    static RunEvent output(String runId, long seq, String stream, String line) {
        return event(runId, seq, "output", Map.of("pid", 42L, "stream", stream, "line", line));
    }

    /** A whole finished run through the sink: created, RUNNING, {@code logs} log events, ended. Returns its last seq. */
    static long finishedRun(EventWriter writer, String id, String script, Instant created, Instant ended, int logs) {
        RunSnapshot run = queued(id, script, created);
        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(run);
        writer.accept(state(id, 2, RunState.RUNNING));
        long seq = 2;
        for (int i = 0; i < logs; i++) {
            writer.accept(event(id, ++seq, "log", Map.of("level", "info", "message", "line " + i)));
        }
        writer.accept(state(id, ++seq, RunState.SUCCEEDED));
        writer.runEnded(ended(run, RunState.SUCCEEDED, ended, seq));
        return seq;
    }

    /** A short finished run as an invoke with {@code ?wait=} hands it over: held until its end. Returns its last seq. */
    static long finishedRunHeld(EventWriter writer, String id) {
        RunSnapshot run = queued(id, "answered.groovy", Instant.now());
        writer.holdUntilEnd(id);
        writer.accept(state(id, 1, RunState.QUEUED));
        writer.runCreated(run);
        writer.accept(state(id, 2, RunState.RUNNING));
        writer.accept(output(id, 3, "stdout", "hello"));
        writer.accept(state(id, 4, RunState.SUCCEEDED));
        writer.runEnded(ended(run, RunState.SUCCEEDED, Instant.now(), 4));
        return 4;
    }
}
