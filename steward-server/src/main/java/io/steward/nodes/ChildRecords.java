package io.steward.nodes;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptError;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The snapshots of a fan-out's child that a primary records itself: queued before it starts, ended without running. */
final class ChildRecords {
    private ChildRecords() {
    }

    static RunSnapshot queued(String id, String script, int version, Map<String, Object> shownArgs, String node,
                              String parent) {
        return new RunSnapshot(id, script, version, RunState.QUEUED, shownArgs, Map.of(), Map.of(), null, List.of(), 0,
                List.of(), Instant.now(), null, null, null, null, node, parent, List.of(), "run " + parent, 0);
    }

    static RunSnapshot ended(RunSnapshot s, RunState state, String message) {
        return new RunSnapshot(s.id(), s.script(), s.version(), state, s.args(), s.shared(), s.statusValues(),
                s.progress(), List.of(), s.threadsStarted(), List.of(), s.createdAt(), s.startedAt(), Instant.now(),
                null, new ScriptError(s.script(), 0, 0, message), s.node(), s.parent(), s.children(), s.invoker(),
                s.lastSeq());
    }
}
